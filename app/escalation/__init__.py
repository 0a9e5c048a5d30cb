"""Escalation (逐级上报): what is overdue or failing climbs grid -> school -> township -> county until someone acts."""
