"""Log filters. `RedactSurveyTokens`: the teachers' questionnaire link `/a/<token>/` is a personal credential,
so the request and CSRF loggers, which write the path of every 4xx answer, write `/a/…/` instead."""
import logging
import re

SURVEY_PATH = re.compile(r"/a/[^/\s]+/?")


class RedactSurveyTokens(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        if "/a/" in message:
            record.msg, record.args = SURVEY_PATH.sub("/a/…/", message), ()
        return True
