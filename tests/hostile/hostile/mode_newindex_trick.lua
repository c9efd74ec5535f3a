-- Hostile rule: a metatable whose own metatable's __newindex stores __mode
-- raw when the sandbox could have looked; then set with setmetatable.
-- expect: error: setmetatable: __mode is not allowed in rules
return {
  id = "hostile.mode_newindex_trick",
  title = "hostile: mode_newindex_trick",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local mt = setmetatable({}, { __newindex = function(t, k, v) rawset(t, k, v) end })
    mt.__mode = "k"
    setmetatable({}, mt)
    return pass()
  end,
}
