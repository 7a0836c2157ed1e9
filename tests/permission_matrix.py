"""The permission matrix: role × URL × method → expected status, for every URL pattern of the project.

CRUD pages (names `<crud>-list|detail|create|update|delete`) follow RULES; every other URL needs an entry
in REGISTRY. A URL pattern that is in neither makes tests/test_permission_matrix.py fail, so a new page
cannot be left unchecked. Personas: anon, admin, methodologist, head_a (owns the sample object's school),
head_b (another school of the same municipality), viewer, far (methodologist of another municipality).
"""
PERSONAS = ("anon", "admin", "methodologist", "head_a", "head_b", "viewer", "far")
LOGIN = 302  # anonymous users are sent to the login page


def statuses(default=200, **overrides):
    out = {p: default for p in PERSONAS}
    out["anon"] = LOGIN
    out.update(overrides)
    return out


READ_OWN = statuses(head_b=404, far=404)
WRITE_OWN = statuses(head_b=404, far=404, viewer=403)

# GET expectations by CRUD action; POST for create/update/delete with an empty form is checked separately.
RULES = {
    "list": statuses(),
    "detail": READ_OWN,
    "create": statuses(viewer=403),
    "update": WRITE_OWN,
    "delete": WRITE_OWN,
}
# Per-model exceptions: schools are district reference data; the management cycle is the district's own
# record, read by heads (recommendations only when addressed to them), written by methodologists.
DISTRICT_ONLY = {"create": statuses(viewer=403, head_a=403, head_b=403),
                 "update": statuses(head_a=403, head_b=403, far=404, viewer=403),
                 "delete": statuses(head_a=403, head_b=403, far=404, viewer=403),
                 "detail": statuses(far=404)}
CRUD_EXCEPTIONS = {
    **{name: DISTRICT_ONLY for name in ("goal", "method", "analysis", "measure", "decision", "review")},
    "recommendation": {**DISTRICT_ONLY, "detail": READ_OWN,
                       "update": statuses(head_a=403, head_b=404, far=404, viewer=403),
                       "delete": statuses(head_a=403, head_b=404, far=404, viewer=403)},
    "school": {"create": statuses(viewer=403, head_a=403, head_b=403),
               "update": statuses(head_a=403, head_b=404, far=404, viewer=403),
               "delete": statuses(head_a=403, head_b=404, far=404, viewer=403)},
}

# name -> (kwargs builder name, query string, {method: statuses})
REGISTRY = {
    "home": (None, "", {"GET": statuses()}),
    "healthz": (None, "", {"GET": statuses(anon=200)}),
    "login": (None, "", {"GET": statuses(anon=200, admin=302, methodologist=302, head_a=302, head_b=302,
                                         viewer=302, far=302)}),
    "logout": (None, "", {"GET": statuses(anon=405, default=405), "POST": statuses(anon=302, default=302)}),
    "password_change": (None, "", {"GET": statuses()}),
    "password_change_done": (None, "", {"GET": statuses()}),
    "password_reset": (None, "", {"GET": statuses(anon=200)}),
    "password_reset_done": (None, "", {"GET": statuses(anon=200)}),
    "password_reset_confirm": ("reset_link", "", {"GET": statuses(anon=200)}),  # an invalid link: says so
    "password_reset_complete": (None, "", {"GET": statuses(anon=200)}),
    "dashboard-district": (None, "?period=2025", {"GET": statuses()}),  # heads: their school's page
    "dashboard-cluster": ("cluster", "?period=2025", {"GET": statuses(head_a=403, head_b=403, far=404)}),
    "dashboard-school": ("school", "?period=2025", {"GET": READ_OWN}),
    "dashboard-explain": ("explain", "", {"GET": READ_OWN}),
    "indicator-values-json": (None, "?period=2025", {"GET": statuses()}),
    "monitoring-calendar": (None, "", {"GET": statuses()}),
    "monitoring-calendar-create": (None, "", {"GET": statuses(default=405),
                                              "POST": statuses(default=403, admin=400)}),  # no year given
    "campaign-results-bulk": ("campaign", "", {"GET": statuses(far=404),
                                                # an empty POST to a head's school: no formset — 400
                                                "POST": statuses(viewer=403, far=404, head_a=400, head_b=400)}),
    "event-participants-bulk": ("event", "", {"GET": statuses(far=404), "POST": statuses(viewer=403, far=404)}),
    "activities-done-bulk": (None, "", {"GET": statuses(), "POST": statuses(viewer=403)}),
    "picker": ("picker", "?q=", {"GET": statuses(viewer=403), "POST": statuses(default=405)}),
    "school-report-list": (None, "", {"GET": statuses()}),
    "school-report": ("report", "", {"GET": READ_OWN, "POST": statuses(default=302, viewer=403, head_b=404, far=404)}),
    "school-report-action": ("report", "", {"GET": statuses(default=405),
                                            "POST": statuses(default=302, viewer=403, head_b=404, far=404)}),
    "cycle-table": (None, "?year=2025", {"GET": statuses()}),
    "recommendation-respond": ("recommendation", "", {
        "GET": statuses(default=405),
        "POST": statuses(default=403, head_a=302, head_b=404)}),
    "review-recalculate": ("review", "", {"GET": statuses(default=405),
                                          "POST": statuses(default=302, head_a=403, head_b=403, viewer=403, far=404)}),
    "rating": (None, "?period=2025", {"GET": statuses(head_a=403, head_b=403)}),
    "briefing": (None, "?year=2025", {"GET": statuses(head_a=403, head_b=403),
                                      "POST": statuses(default=302, head_a=403, head_b=403, viewer=403)}),
    "documents": (None, "", {"GET": statuses()}),
    "document-job": ("job", "", {"GET": statuses(default=404, head_a=200, admin=200)}),
    "document-job-status": ("job", "", {"GET": statuses(default=404, head_a=200, admin=200)}),
    "document-download": ("job", "", {"GET": statuses(default=404, head_a=200, admin=200)}),
    "document-retry": ("job", "", {"GET": statuses(default=405), "POST": statuses(default=404, head_a=302, admin=302)}),
    "survey-list": (None, "", {"GET": statuses()}),
    "survey-create": (None, "", {"GET": statuses(viewer=403), "POST": statuses(viewer=403)}),  # empty form: errors
    "request-summary": (None, "?year=2026", {"GET": statuses()}),
    "survey-detail": ("survey", "", {"GET": READ_OWN}),
    "survey-invite": ("survey", "", {"GET": statuses(default=405),
                                     "POST": statuses(default=302, viewer=403, head_b=404, far=404)}),
    "survey-links-xlsx": ("survey", "", {"GET": statuses(viewer=403, head_b=404, far=404)}),
    "survey-reissue": ("survey_link", "", {"GET": statuses(default=405),
                                           "POST": statuses(default=302, viewer=403, head_b=404, far=404)}),
    "survey-answer": ("token", "", {"GET": statuses(default=404, anon=404)}),  # no account needed; unknown link
    "staff-import": (None, "", {"GET": statuses(viewer=403)}),
    "import": (None, "", {"GET": statuses(viewer=403)}),
    "import-kind": ("import_kind", "", {"GET": statuses(viewer=403)}),
    "import-kind-template": ("import_kind", "", {"GET": statuses(viewer=403)}),
    "staff-import-template": (None, "", {"GET": statuses(viewer=403)}),
    "staff-import-log": ("import_log", "", {"GET": statuses(viewer=403, head_b=404, far=404)}),
    "staff-import-preview": ("token", "", {"GET": statuses(default=302, viewer=403)}),
    "staff-import-problems": ("token", "", {"GET": statuses(default=302, viewer=403)}),
    "staff-import-apply": ("token", "", {"GET": statuses(default=405), "POST": statuses(default=302, viewer=403)}),
    "staff-import-cancel": ("token", "", {"GET": statuses(default=405), "POST": statuses(default=302, viewer=403)}),
}
