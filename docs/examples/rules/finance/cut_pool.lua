-- Worked example 3 of docs/rule-authoring.md: a redistribution.
-- The year's cuts (finance.pension_cut_example, read through `needs` and
-- r:result) go to the params.recipients cities with the lowest basic public
-- service spending per resident, in proportion to their residents, to the
-- fen (money.apportion).
local money = require "money"

---@type equirule.Rule
return {
  id = "finance.cut_pool_example",
  title = "核减资金分配给人均基本公共服务支出最低的地市（示例）",
  basis = "粤财办〔2019〕1号 二(四)1",
  item = "pension.resident_basic",
  kind = "allocation",
  level = "province",
  effective = { from = 2019 },
  params = { recipients = 3 },
  needs = { "finance.pension_cut_example" },
  evaluate = function(r)
    local pool, ranked = 0, {}
    for _, c in ipairs(r:children("city")) do
      local res = c:result("finance.pension_cut_example")
      if res and res.outcome == "cut" then
        pool = pool + res.amount
      end
      local pop = c:fact("pop.resident")
      ranked[#ranked + 1] = { code = c.code, pop = pop,
                              level = c:fact("fin.basic_service.spend") / pop }
    end
    if pool == 0 then
      return skip("本年度无核减资金")
    end
    table.sort(ranked, function(a, b)
      if a.level ~= b.level then return a.level < b.level end
      return a.code < b.code
    end)
    local weights = {}
    for i = 1, math.min(params.recipients, #ranked) do
      weights[ranked[i].code] = ranked[i].pop
    end
    return distribute(money.apportion(pool, weights),
                      string.format("核减资金 %.2f 元按常住人口分配", pool))
  end,
}
