"""Hazards: the closed loop 发现-上报-整改-验证-销号 (report, assign, rectify, verify, close out)."""
