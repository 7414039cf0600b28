"""Browse views: thin, the querysets on the models do the work."""

from django.http import Http404
from django.shortcuts import render

from sections.models import Report, Topic


def home(request):
    reports = Report.objects.published()
    topics = Topic.objects.all()
    return render(request, "sections/home.html", {"reports": reports, "topics": topics})


def _not_yet(*args, **kwargs):
    raise Http404("This page is not built yet.")


report = section = section_short = paragraph = topic = compare = _not_yet
