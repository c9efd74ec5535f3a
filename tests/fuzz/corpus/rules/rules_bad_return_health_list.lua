return { "health.list" }
