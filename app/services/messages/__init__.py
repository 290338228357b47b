"""Messages to the units' group chats (WeCom, DingTalk, Feishu robots).

- channels: a unit's robots (admin), their secrets kept and never shown back in full
- outbox: messages written in the transaction of the event that causes them; failed ones listed and resent
- delivery: the worker's claim (with a lease), POST, and the outcome marked in the database
- schedule: periodic work (overdue, deadline approaching, daily summary) run once across processes
- worker: the loop, run inside `xuncha serve` or as `xuncha worker`
"""
