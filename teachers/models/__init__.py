from .audit import AccessLog, ExportLog
from .development import (
    DiagnosticCampaign, DiagnosticResult, Event, IndividualRoute, Participation, RouteActivity,
)
from .network import Association, Membership, Mentorship
from .reference import (
    AssociationKind, Cluster, DeficitArea, EducationLevel, EventKind, EventLevel, Position,
    QualificationCategory, Subject,
)
from .imports import ImportLog
from .qualification import CategoryAssignment, EducationRecord
from .schools import MentorshipModelAdoption, Municipality, School
from .staff import Appointment, Employment, Teacher
from .staffing import DevelopmentRequest, ReserveEntry, Vacancy
from .surveys import RequestSurvey, SurveyInvitation
from .users import Role, User

__all__ = [
    "AccessLog", "Appointment", "Association", "AssociationKind", "Cluster", "DeficitArea", "DevelopmentRequest",
    "DiagnosticCampaign", "DiagnosticResult", "EducationLevel", "Employment", "Event", "EventKind", "ExportLog",
    "EventLevel", "IndividualRoute", "Membership", "Mentorship", "MentorshipModelAdoption", "Municipality",
    "Participation", "Position", "QualificationCategory", "ReserveEntry", "Role", "RouteActivity", "School",
    "Subject", "Teacher", "User", "Vacancy", "RequestSurvey", "SurveyInvitation", "ImportLog", "CategoryAssignment", "EducationRecord",
]
