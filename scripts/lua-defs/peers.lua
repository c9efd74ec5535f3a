---@meta peers
-- peers.lua - makes `require "peers"` in a rule file typed for the Lua language
-- server: the module's definitions are in equirule.lua beside this file;
-- the module itself is scripts/lib/peers.lua.

---@type equirule.peers
local peers = {}
return peers
