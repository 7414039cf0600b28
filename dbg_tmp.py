import os, sys, time
os.environ["DJANGO_SETTINGS_MODULE"]="reportsite.settings"
os.environ["SEARCH_API_RATE_LIMIT"]="1000000/s"
import django; django.setup()
from bench.relevance import use_database
use_database(os.environ.get("DB", "ra_bench_search_100000"))
from django.test import Client
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.core.cache import cache
c = Client(HTTP_HOST="localhost")
for q in sys.argv[1:]:
    params = dict(x.split("=",1) for x in q.split("&"))
    c.get("/api/search", params)
    cache.clear()
    with CaptureQueriesContext(connection) as cap:
        t=time.perf_counter(); c.get("/api/search", params); el=time.perf_counter()-t
    print(q, round(el*1000,1), "ms", len(cap.captured_queries), "queries, db", round(sum(float(x['time']) for x in cap.captured_queries)*1000,1))
    for x in cap.captured_queries: print("  ", x['time'], x['sql'][:100].replace("\n"," "), '...', x['sql'][-120:].replace("\n"," "))
