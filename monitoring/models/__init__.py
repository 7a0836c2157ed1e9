from .calendar import DirectionWindow, MonitoringYear, ReportingPeriod, Stage

__all__ = ["DirectionWindow", "MonitoringYear", "ReportingPeriod", "Stage"]
