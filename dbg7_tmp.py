import os, sys, time
os.environ["DJANGO_SETTINGS_MODULE"]="reportsite.settings"
import django; django.setup()
from bench.relevance import use_database
use_database(os.environ.get("DB", "ra_bench_search_1500000"))
from django.db import connection
from search.counting import MatchCounter
from search.query import parse_query
from search.filters import SearchFilters
p = parse_query(sys.argv[1])
mc = MatchCounter(p.tsquery, (), SearchFilters())
from django.test.utils import CaptureQueriesContext
with CaptureQueriesContext(connection) as cap:
    mc.tally(int(sys.argv[2]))
sql = cap.captured_queries[-1]["sql"]
with connection.cursor() as c:
    c.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
    print("\n".join(r[0] for r in c.fetchall()))
