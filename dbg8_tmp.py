import os, sys, time
os.environ["DJANGO_SETTINGS_MODULE"]="reportsite.settings"
import django; django.setup()
from bench.relevance import use_database
use_database(os.environ.get("DB", "ra_bench_search_1500000"))
from django.db import connection
with connection.cursor() as c:
    for q in ["'ресми' & 'адам'", "('ресми' & 'адам') & ('ресми#2' | 'ресми#3' | 'ресми#5')", "('ресми' & 'адам') & ('ресми#3' | 'ресми#5')", "'адам#13' | 'адам#21'", "'адам#5'"]:
        c.execute("explain (analyze) select count(*) from sections_paragraph where search_vector @@ %s::tsquery", [q])
        rows = [r[0] for r in c.fetchall()]
        print(q, [r for r in rows if "Bitmap Heap" in r][0][:140])
