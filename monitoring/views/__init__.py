"""The monitoring pages, one module per page family: calendar, school reports, the справка, the management cycle."""
