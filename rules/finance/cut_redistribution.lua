-- The cut pool (粤财办〔2019〕1号 二(四)1) goes to the less developed cities
-- with the lowest guarantee level. Measure of the level: basic public
-- service spending per resident. The pool is the sum of the year's
-- finance.subsidy_cut amounts (every item); it is split between the
-- params.recipients cities with the lowest level (ties: lower code first)
-- in proportion to their resident population:
--
--   allocation(city) = pool × residents(city) ÷ Σ residents(recipients)
--
-- in whole fen by the largest-remainder method (money.apportion), so the
-- allocations add up to the pool exactly.
--
-- Nothing is allocated from a pool known to be incomplete: when the cut of
-- a city could not be evaluated (its finance.subsidy_cut finding is skip,
-- missing or error, or absent) the finding is `missing`, naming those
-- cities and the known part of the pool, unless params.allow_partial_pool
-- is true (default false): then the known part is allocated and the note
-- names the cities left out of it. Every city must have a level to be
-- ranked (spending and residents, peers.totals): one without makes the
-- finding `missing`, naming it.
local money = require "money"
local peers = require "peers"
local facts = require "facts"

return {
  id = "finance.cut_redistribution",
  title = "核减资金按常住人口分配给人均基本公共服务支出最低的地市",
  basis = "粤财办〔2019〕1号 二(四)1; 分配办法（示例）: 分配额 = 核减资金池 × 该市常住人口 "
    .. "÷ 入选各市常住人口之和, 入选 = 人均基本公共服务支出最低的 recipients 个市; "
    .. "按分取整(最大余数法), 合计等于资金池",
  kind = "allocation",
  level = "province",
  effective = { from = 2019 },
  params = { recipients = 3, allow_partial_pool = false },
  needs = { "finance.subsidy_cut" },
  evaluate = function(r)
    if type(params.allow_partial_pool) ~= "boolean" then
      error("params.allow_partial_pool must be true or false, got "
            .. tostring(params.allow_partial_pool))
    end
    local cities = r:children("city")

    -- The pool is summed in whole fen, as the cuts were recorded. A city
    -- whose cut is known is `cut` or `pass`; any other outcome (skip,
    -- missing, error) or no finding leaves the pool incomplete.
    local pool_fen, sources, unknown = 0, {}, {}
    for _, c in ipairs(cities) do
      local res = c:result("finance.subsidy_cut")
      local name = c.name or c.code
      if res and res.outcome == "cut" then
        pool_fen = pool_fen + money.to_fen(res.amount)
        sources[#sources + 1] = string.format("%s %.2f 元", name, res.amount)
      elseif not res then
        unknown[#unknown + 1] = name .. "（无核减结果）"
      elseif res.outcome ~= "pass" then
        unknown[#unknown + 1] = string.format("%s（%s）", name, res.outcome)
      end
    end
    local pool = pool_fen / 100
    local unknown_note = ""
    if #unknown > 0 then
      unknown_note = "核减未能评估：" .. table.concat(unknown, "、")
    end

    -- Every city must have a level to be ranked (peers.totals): one
    -- lacking spending or residents makes the ranking unknown.
    local all, gap, gap_list
    if pool_fen > 0 or (#unknown > 0 and not params.allow_partial_pool) then
      all, gap, gap_list = peers.totals(cities, "fin.basic_service.spend",
                              "pop.resident", { each = true })
    end

    if #unknown > 0 and not params.allow_partial_pool then
      local note = string.format(
        "核减资金池不完整，不予分配：%s；已知核减 %.2f 元%s"
          .. "（参数 allow_partial_pool = true 时按已知部分分配）",
        unknown_note, pool,
        #sources > 0 and "（" .. table.concat(sources, "、") .. "）" or "")
      if gap then
        note = note .. "；" .. gap.note
      end
      return missing(note, gap_list and facts.entries(gap_list) or nil)
    end
    local partial_note = ""
    if #unknown > 0 then
      partial_note = "；部分资金池（allow_partial_pool）：" .. unknown_note
    end
    if pool_fen <= 0 then
      return skip("本年度无核减资金" .. partial_note)
    end
    if not all then
      return gap
    end

    local ranked = {}
    for i, c in ipairs(all.regions) do
      ranked[i] = c
    end
    table.sort(ranked, function(a, b)
      if a.value ~= b.value then return a.value < b.value end
      return a.code < b.code
    end)
    local n = math.min(math.floor(params.recipients), #ranked)
    if n < 1 then
      return fail(string.format("核减资金 %.2f 元无可分配的地市", pool))
    end

    local weights, chosen = {}, {}
    for i = 1, n do
      local c = ranked[i]
      weights[c.code] = c.count
      chosen[#chosen + 1] = string.format("%s（人均 %.2f 元，常住 %.0f 人）",
                                          c.name, c.value, c.count)
    end
    return distribute(money.apportion(pool, weights), string.format(
      "核减资金 %.2f 元（%s）分配给：%s%s", pool,
      table.concat(sources, "、"), table.concat(chosen, "、"), partial_note))
  end,
}
