-- 一(三) 主要目标: by 2020 the gap in per-capita basic public service
-- spending between regions within 30%. No official formula was found; this
-- rule measures gap = 1 − (per-resident spending of the non-core cities ÷
-- per-resident spending of the core cities), each group's spending being
-- its total spending ÷ its total resident population (core = 珠三角核心区;
-- non-core = 沿海经济带东西两翼 + 北部生态发展区). The note adds the
-- coefficient of variation and (max − min) ÷ mean of the cities' values.
--
-- Every city counts: a city without spending or residents (absent,
-- negative, residents 0 or less) or outside both groups (no zone, or a
-- zone that is neither) makes the finding `missing`, naming each such
-- city, rather than a gap computed without it (peers.groups).
-- params.max_gap is a share in 0..1 (0.30); any other value (30 typed for
-- 30%) makes the finding `error`, naming it (check.ratio).
local check = require "check"
local peers = require "peers"
local stats = require "stats"

-- The group of each zone (一核一带一区): the core, and the rest.
local GROUPS = { core = "core", east = "other", west = "other",
                 north = "other" }

return {
  id = "finance.spending_gap",
  title = "人均基本公共服务支出差距（1 − 非核心区人均 ÷ 核心区人均）不超过30%",
  basis = "粤财办〔2019〕1号 一(三)",
  kind = "indicator",
  level = "province",
  effective = { from = 2018 },
  params = { max_gap = 0.30 },
  report = { chart = "per_capita_gap", goal = 2020 },
  evaluate = function(r)
    check.ratio("max_gap", params.max_gap) -- a share: 0.30, not 30
    -- Every city is in a group and contributes both figures, or the
    -- finding is `missing` naming each one that does not (peers.groups).
    local g, gap = peers.groups(r, "fin.basic_service.spend", "pop.resident",
                                function(c)
                                  local group = GROUPS[c.zone]
                                  if group then return group end
                                  return nil, c.zone
                                    and "分区 " .. tostring(c.zone) .. " 不属核心区或非核心区"
                                    or "未标明所属分区（zone）"
                                end)
    if not g then
      return gap
    end
    local core, other = g.core, g.other
    if not core or not other or not core.level or not other.level
        or core.level <= 0 then
      return skip("核心区或非核心区无市或无支出，无法计算差距")
    end

    local per_capita = {}
    for i, c in ipairs(g.all.regions) do
      per_capita[i] = c.value
    end
    local core_level = core.level
    local other_level = other.level
    -- (core − other) ÷ core is 1 − other ÷ core; written as one division so
    -- that a gap of exactly 30% compares equal to 0.30.
    return indicator((core_level - other_level) / core_level, params.max_gap,
                     "<=", {
      unit = "比例",
      note = string.format(
        "非核心区人均 %.2f 元 ÷ 核心区人均 %.2f 元；"
          .. "各市人均变异系数 %.4f，(最大−最小)÷均值 %.4f",
        other_level, core_level, stats.cv(per_capita),
        stats.max_gap(per_capita)),
    })
  end,
}
