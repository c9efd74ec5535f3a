---@meta stats
-- stats.lua - makes `require "stats"` in a rule file typed for the Lua language
-- server: the module's definitions are in equirule.lua beside this file;
-- the module itself is scripts/lib/stats.lua.

---@type equirule.stats
local stats = {}
return stats
