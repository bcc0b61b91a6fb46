"""Response headers the whole site shares."""
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Nothing the application itself answers may be kept by a browser or a proxy cache.

    Pages and API answers carry personal data (reporters' names and phones, photos, staff
    names) and are scoped per user: a shared computer's back button or a proxy must not hand
    them to the next person. So every response that reaches this middleware gets
    ``Cache-Control: no-store`` (with Django's usual companions). Static files are answered by
    WhiteNoise, which sits above this middleware, and keep their long-lived caching. A view
    that sets its own ``Cache-Control`` keeps it: caching public data is then its explicit choice.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
