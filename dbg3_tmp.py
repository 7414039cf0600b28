import os, sys, time
os.environ["DJANGO_SETTINGS_MODULE"]="reportsite.settings"
import django; django.setup()
from bench.relevance import use_database
use_database("ra_bench_search")
from django.db import connection
q = "( 'адам' | '~адам' ) & ( 'адам#8' | 'адам#13' | '~адам#8' | '~адам#13' )"
conds = {"any": "and year = ANY('{2000,2001,2002,2003,2004,2005,2006,2007,2008,2009}'::smallint[]) and country='AB'", "plus0": "and year + 0 >= 2000 and year + 0 <= 2009 and country='AB'", "any word": "and year = ANY('{2000,2001,2002,2003,2004,2005,2006,2007,2008,2009}'::smallint[])","all": "and year >= 2000::smallint and year <= 2009::smallint and country = 'AB'",
         "no year": "and country = 'AB'", "no country": "and year >= 2000::smallint and year <= 2009::smallint",
         "year eq": "and year = 2005::smallint and country='AB'", "none": "", "word only": None}
with connection.cursor() as c:
    c.execute("show shared_buffers"); print(c.fetchone())
    for name, cond in conds.items():
        qq = q if cond is not None else "'адам' | '~адам'"
        sql = f"select count(*) from sections_paragraph where search_vector @@ %s::tsquery {cond or ''}"
        for i in range(3):
            t=time.perf_counter(); c.execute(sql, [qq]); n=c.fetchone()[0]; el=time.perf_counter()-t
        if name in ("any", "any word"):
            c.execute("explain " + sql, [qq]); print("\n".join(r[0] for r in c.fetchall()))
        print(name, n, round(el*1000,2))
