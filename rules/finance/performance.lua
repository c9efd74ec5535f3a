-- 绩效考核 (粤财办〔2019〕1号 三(三): 建立依托于基本公共服务标准的绩效考核机制):
-- each city is scored from the findings of the compliance rules (标准化)
-- named in `needs`: the city's own finding of each, and the finding of each
-- of its counties where the rule is evaluated for counties.
--
--   score = 100 × Σ w·credit ÷ Σ w        over the scored findings
--
-- w is the weight of the finding's department (the first part of the rule
-- id: params.weight_<department>); credit is 1 for pass, params.credit_warn
-- for warn, 0 for fail and 0 for missing: data not reported (缺数据) is a
-- performance failure, not an excuse. A skip (the rule does not apply) and
-- a rule with no finding for the region (not in force, not of that level)
-- are not scored. An `error` finding of a needed rule is never scored
-- silently: the evaluation raises, naming it, and this finding is `error`.
-- Each scored finding below full credit costs 100 × w × (1 − credit) ÷ Σ w
-- points (扣分); the costs add up to 100 − score.
--
-- The finding: measured = the score (分), required = params.min_score,
-- indicator(score, min_score, ">="). The note gives the score, the city's
-- rank among the province's cities scored the same way (competition
-- ranking on the score rounded to 0.01: equal scores share a rank; a city
-- whose score cannot be computed is left out of the ranking and named),
-- the count of findings by outcome and the deductions, largest first (ties
-- by rule id, then region code), the first params.note_items of them
-- followed by "等 N 项" and the command that shows them all (`equirule
-- explain finance.performance CODE --year Y --set
-- finance.performance.note_items=N`: the note of that evaluation lists
-- every deduction; the score does not depend on note_items). explain also
-- shows every finding read, the city's own and its counties' first.
--
-- Params: a weight that is not a finite number from 0 to MAX_WEIGHT
-- (1000: so that no sum of weights can overflow, and no score be nan),
-- all weights 0, credit_warn outside 0..1 or min_score outside 0..100
-- (nan among them) raise an error naming the param.

-- The largest department weight accepted.
local MAX_WEIGHT = 1000

-- The departments (the folders of rules/) and their short names in notes.
local DEPARTMENTS = {
  civil_affairs = "民政", education = "教育", finance = "财政",
  health = "卫健", housing = "住建", hrss = "人社", medical = "医保",
}
local DEPARTMENT_ORDER = { "civil_affairs", "education", "finance", "health",
                           "housing", "hrss", "medical" }

-- Every shipped compliance rule evaluated for cities or counties, sorted.
-- tests/e2e/performance.sh fails when a shipped one is missing here.
local NEEDS = {
  "civil_affairs.disability_subsidy_coverage",
  "civil_affairs.disaster_relief_per_person",
  "civil_affairs.hardship_per_capita",
  "education.highschool_fees_coverage",
  "education.highschool_grant_per_student",
  "education.living_allowance_junior",
  "education.living_allowance_primary",
  "education.nutrition_per_student",
  "education.public_funds_junior",
  "education.public_funds_primary",
  "education.textbooks_coverage",
  "education.vocational_grant_per_student",
  "education.vocational_tuition_per_student",
  "finance.cost_sharing.aid.highschool_grant",
  "finance.cost_sharing.aid.vocational_grant",
  "finance.cost_sharing.aid.vocational_tuition",
  "finance.cost_sharing.edu.living_allowance",
  "finance.cost_sharing.edu.nutrition",
  "finance.cost_sharing.edu.public_funds",
  "finance.cost_sharing.health.family_planning",
  "finance.cost_sharing.health.public_health",
  "finance.cost_sharing.medical.resident_insurance",
  "finance.cost_sharing.pension.resident_basic",
  "finance.county_cost_sharing.aid.highschool_grant",
  "finance.county_cost_sharing.aid.vocational_grant",
  "finance.county_cost_sharing.aid.vocational_tuition",
  "finance.county_cost_sharing.edu.living_allowance",
  "finance.county_cost_sharing.edu.nutrition",
  "finance.county_cost_sharing.edu.public_funds",
  "finance.county_cost_sharing.health.family_planning",
  "finance.county_cost_sharing.health.public_health",
  "finance.county_cost_sharing.medical.resident_insurance",
  "finance.county_cost_sharing.pension.resident_basic",
  "health.family_planning_award",
  "health.public_health_per_capita",
  "housing.affordable_coverage",
  "hrss.employment_service_per_capita",
  "hrss.pension_basic_minimum",
  "medical.assistance_enrolment",
  "medical.resident_insurance_subsidy",
}

-- How each scored outcome reads in a deduction.
local OUTCOME_NAMES = { warn = "预警", fail = "未通过", missing = "缺数据" }

-- The weight of each department, checked: { [department] = w }.
local function weights()
  local given = {
    civil_affairs = params.weight_civil_affairs,
    education = params.weight_education, finance = params.weight_finance,
    health = params.weight_health, housing = params.weight_housing,
    hrss = params.weight_hrss, medical = params.weight_medical,
  }
  local w, any = {}, false
  for _, dept in ipairs(DEPARTMENT_ORDER) do
    local name = "weight_" .. dept
    local v = given[dept]
    if type(v) ~= "number" or not (v >= 0) then
      error(string.format("params.%s must be a number ≥ 0, got %s", name,
                          tostring(v)), 2)
    end
    if not (v <= MAX_WEIGHT) then
      error(string.format("params.%s must be at most %d, got %s", name,
                          MAX_WEIGHT, tostring(v)), 2)
    end
    w[dept] = v
    any = any or v > 0
  end
  if not any then
    error("params.weight_*: every department weight is 0 (weight_civil_affairs, "
          .. "weight_education, weight_finance, weight_health, weight_housing, "
          .. "weight_hrss, weight_medical): nothing would be scored", 2)
  end
  return w
end

-- A region's name as notes show it ("梅江区"), its code when it has none.
local function place(v)
  return v.name or v.code
end

-- The score of city c: { score, total_w, counts, items } where items are
-- the deductions { id, dept, code, where, outcome, cost }; nil when
-- nothing is scored (every needed finding skipped, absent or of weight 0);
-- or false, a message naming the first `error` finding (or other reason)
-- and a short form of it for the ranking of other cities.
local function score_of(c, w)
  local views = { c }
  for _, county in ipairs(c:children("county")) do
    views[#views + 1] = county
  end
  local scored, total_w, sum = {}, 0, 0
  local counts = { pass = 0, warn = 0, fail = 0, missing = 0, skip = 0,
                   unweighted = 0 }
  for _, v in ipairs(views) do
    for _, id in ipairs(NEEDS) do
      local res = v:result(id)
      if res then
        local o = res.outcome
        if o == "error" then
          return false, string.format(
            "%s %s 的 %s 结果为 error（%s）：该项不能不计，绩效得分无法计算",
            v.code, place(v), id, res.note or "无说明"),
            string.format("%s%s 为 error", v ~= c and place(v) .. " 的 " or "",
                          id)
        end
        local credit
        if o == "pass" then
          credit = 1
        elseif o == "warn" then
          credit = params.credit_warn
        elseif o == "fail" or o == "missing" then
          credit = 0
        elseif o ~= "skip" then
          local why = string.format("%s %s 的 %s 结果为 %s，不是合规检查的结果"
                                    .. "（pass/warn/fail/missing/skip）",
                                    v.code, place(v), id, o)
          return false, why, why
        end
        local dept = id:match("^([^.]+)%.")
        if w[dept] == nil then
          local why = string.format("%s 所属部门 %s 无权重参数（weight_%s）",
                                    id, tostring(dept), tostring(dept))
          return false, why, why
        end
        if w[dept] == 0 then
          counts.unweighted = counts.unweighted + 1
        else
          counts[o] = counts[o] + 1
        end
        if credit and w[dept] > 0 then
          total_w = total_w + w[dept]
          sum = sum + w[dept] * credit
          if credit < 1 then
            scored[#scored + 1] = { id = id, dept = dept, code = v.code,
                                    where = v ~= c and place(v) or nil,
                                    outcome = o, lost = w[dept] * (1 - credit) }
          end
        end
      end
    end
  end
  if total_w <= 0 then
    return nil
  end
  for _, it in ipairs(scored) do
    it.cost = 100 * it.lost / total_w
  end
  table.sort(scored, function(a, b)
    if a.cost ~= b.cost then return a.cost > b.cost end
    if a.id ~= b.id then return a.id < b.id end
    return a.code < b.code
  end)
  return { score = 100 * sum / total_w, total_w = total_w, counts = counts,
           items = scored }
end

-- The score rounded to the 0.01 shown, for ranking.
local function shown(score)
  return math.floor(score * 100 + 0.5)
end

return {
  id = "finance.performance",
  title = "绩效考核：各市依托基本公共服务标准的合规结果得分（按部门加权）不低于合格分",
  basis = "粤财办〔2019〕1号 三(三) 建立依托于基本公共服务标准的绩效考核机制; "
    .. "计分办法（示例）: 得分 = 100 × Σ(部门权重 × 计分) ÷ Σ 部门权重, "
    .. "计分: 通过 1, 预警 credit_warn, 未通过 0, 缺数据 0（数据未报送即未完成）, "
    .. "不适用(skip)不计; 范围: 该市及其各县（区）的各项合规检查结果; "
    .. "全省各市按同一办法计分排名, 同分同名次",
  kind = "indicator",
  level = "city",
  effective = { from = 2018 },
  params = {
    weight_civil_affairs = 1, weight_education = 1, weight_finance = 1,
    weight_health = 1, weight_housing = 1, weight_hrss = 1,
    weight_medical = 1,
    credit_warn = 0.5, min_score = 60, note_items = 10,
  },
  needs = NEEDS,
  report = { chart = "ranking" },
  evaluate = function(r)
    local w = weights()
    local cw = params.credit_warn
    if type(cw) ~= "number" or not (cw >= 0 and cw <= 1) then
      error("params.credit_warn must be a number in 0..1, got " .. tostring(cw))
    end
    local min = params.min_score
    if type(min) ~= "number" or not (min >= 0 and min <= 100) then
      error("params.min_score must be a number in 0..100, got "
            .. tostring(min))
    end
    local cap = params.note_items
    if type(cap) ~= "number" or not math.tointeger(cap) or cap < 0 then
      error("params.note_items must be a whole number ≥ 0, got "
            .. tostring(cap))
    end

    local own, why = score_of(r, w)
    if own == false then
      error(why)
    end
    if not own then
      return skip("无计分的合规检查结果（均不适用、无结果或所属部门权重为 0）")
    end

    -- The rank among the province's cities, each scored the same way.
    local rank_note
    local up = r.parent and r:region(r.parent)
    if not up then
      rank_note = "无上级地区，未排名"
    else
      local mine, above, ranked, tied, left_out = shown(own.score), 0, 0, 0, {}
      for _, c in ipairs(up:children("city")) do
        local s, err
        if c.code == r.code then
          s = own
        else
          s, _, err = score_of(c, w)
        end
        if s then
          ranked = ranked + 1
          if shown(s.score) > mine then
            above = above + 1
          elseif shown(s.score) == mine and c.code ~= r.code then
            tied = tied + 1
          end
        elseif s == false then
          left_out[#left_out + 1] = string.format("%s（%s）", place(c), err)
        else
          left_out[#left_out + 1] = place(c) .. "（无计分结果）"
        end
      end
      rank_note = string.format("全省第 %d/%d 名", above + 1, ranked)
      if tied > 0 then
        rank_note = rank_note .. string.format("（与 %d 个市同分并列）", tied)
      end
      if #left_out > 0 then
        rank_note = rank_note .. string.format(
          "（%d 个市得分未能计算，不参与排名：%s）", #left_out,
          table.concat(left_out, "；"))
      end
    end

    local k = own.counts
    local parts = {
      string.format("得分 %.2f，%s", own.score, rank_note),
      string.format("计分 %d 项：通过 %d、预警 %d、未通过 %d、缺数据 %d"
                    .. "（缺数据即未报送，按未通过计）；不适用 %d 项不计",
                    k.pass + k.warn + k.fail + k.missing, k.pass, k.warn,
                    k.fail, k.missing, k.skip),
    }

    if #own.items == 0 then
      parts[#parts + 1] = "无扣分"
    else
      local list = {}
      for i, it in ipairs(own.items) do
        if i > cap then
          break
        end
        list[i] = string.format("%s %s%s %s −%.2f 分", DEPARTMENTS[it.dept],
                                it.id, it.where and "（" .. it.where .. "）" or "",
                                OUTCOME_NAMES[it.outcome], it.cost)
      end
      local text = "扣分：" .. table.concat(list, "、")
      if #own.items > cap then
        text = text .. string.format(
          "等 %d 项（全部：equirule explain finance.performance %s --year %d "
            .. "--set finance.performance.note_items=%d）",
          #own.items, r.code, r.year, #own.items)
      end
      parts[#parts + 1] = text
    end
    if k.unweighted > 0 then
      parts[#parts + 1] = string.format("权重为 0 的部门的 %d 项不计",
                                        k.unweighted)
    end
    return indicator(own.score, min, ">=",
                     { unit = "分", note = table.concat(parts, "；") })
  end,
}
