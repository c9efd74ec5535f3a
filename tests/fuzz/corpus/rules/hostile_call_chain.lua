-- Hostile rule: call chain.
-- expect: error: stack overflow
return {
  id = "hostile.call_chain",
  title = "hostile: call_chain",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local t t = setmetatable({}, {__call = function(self) return t() + 1 end}) return at_least(t(), 0)
  end,
}
