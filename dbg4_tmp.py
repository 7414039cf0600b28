import os, sys, time
os.environ["DJANGO_SETTINGS_MODULE"]="reportsite.settings"
import django; django.setup()
from bench.relevance import use_database
use_database("ra_bench_search_100000")
from search.engine import search_results
from search.query import parse_query
from search.ranking import RankedHits
from search.filters import SearchFilters
from sections.models import Paragraph
for q in sys.argv[1:]:
    parsed = parse_query(q)
    r = search_results(parsed); r.hits.year_counts = r.year_counts
    ours = r.hits.top(10); band = r.hits.ranked_from
    full = RankedHits(parsed, SearchFilters(), r.total, exhaustive=True, year_counts=r.year_counts).top(10)
    print(q, r.total, "band", band, r.hits.newest_years(400), sum(a[0]==b[0] for a,b in zip(ours, full)))
    oset = {p for p,_ in ours}
    for pk, sc in full:
        if pk not in oset:
            v = Paragraph.objects.filter(pk=pk).values_list("search_vector", flat=True)[0]
            print("   missed", pk, round(sc,3), [x for x in str(v).split(" ") if any(k in x for k in ("жүргіз","адам'","әрекет","ресми","куәгер","психолог","құқық","бостанд","сөз"))][:6])
    print("   ours", [round(s,3) for _,s in ours]); print("   full", [round(s,3) for _,s in full])
