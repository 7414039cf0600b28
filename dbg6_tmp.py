import os, sys, time
os.environ["DJANGO_SETTINGS_MODULE"]="reportsite.settings"
import django; django.setup()
from bench.relevance import use_database
use_database(os.environ.get("DB", "ra_bench_search_1500000"))
from django.db import connection
with connection.cursor() as c:
    c.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
    t=time.perf_counter()
    c.execute("SELECT pg_prewarm('sections_paragraph'), pg_prewarm('paragraph_search_gin')"); print(c.fetchone(), time.perf_counter()-t)
