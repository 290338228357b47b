"""The demo district: a deterministic, realistic district to try Xuncha on."""
