import os, sys, time, random
sys.path[:] = [p for p in sys.path if not p.endswith("/bench")]
os.environ["DJANGO_SETTINGS_MODULE"]="reportsite.settings"
import django; django.setup()
from bench.relevance import use_database
use_database(os.environ.get("DB", "ra_bench_search_100000"))
from bench.search import pick_queries, agreement
from search import ranking
from sections.models import Paragraph
if len(sys.argv) > 1: ranking.MIN_CANDIDATES = int(sys.argv[1])
n = Paragraph.objects.count()
queries, _, _ = pick_queries(n, random.Random(100000))
t = time.perf_counter()
print(agreement(queries), round(time.perf_counter() - t, 1))
