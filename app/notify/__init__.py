"""Group-chat robots (WeCom, DingTalk, Feishu): their message formats, signatures, refusals and limits (pure)."""
