"""The outbox (消息推送): every escalation step's deliveries to webhooks and Web Push, retried until sent."""
