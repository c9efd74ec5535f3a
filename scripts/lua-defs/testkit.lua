---@meta testkit
-- testkit.lua - makes `require "testkit"` in a test file typed for the Lua language
-- server: the module's definitions are in equirule.lua beside this file;
-- the module itself is scripts/testlib/testkit.lua.

---@type equirule.testkit
local testkit = {}
return testkit
