"""Dutch first: the interface is Dutch unless the person chose English with the switch.

Django's LocaleMiddleware follows the browser's Accept-Language, which would show most Dutch
school staff an English interface on an English-language laptop; the choice is theirs instead,
kept in the language cookie that Django's set_language view writes.
"""

from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
