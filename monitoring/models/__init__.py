from .briefing import Briefing
from .calendar import DirectionWindow, MonitoringYear, ReportingPeriod, Stage
from .cycle import Analysis, Decision, EffectivenessReview, Goal, Measure, Method, Recommendation, RecommendationResponse
from .school_reports import Reminder, SchoolReport, Transition

__all__ = [
    "Analysis", "Briefing", "Decision", "DirectionWindow", "EffectivenessReview", "Goal", "Measure", "Method", "MonitoringYear",
    "Recommendation", "RecommendationResponse", "Reminder", "ReportingPeriod", "SchoolReport", "Stage", "Transition",
]
