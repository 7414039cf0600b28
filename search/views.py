from django.http import Http404


def search_page(request):
    raise Http404("Search is not built yet.")


search_api = search_page
