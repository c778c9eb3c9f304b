"""Hand-checked expectations for every document of the shared corpus."""

from __future__ import annotations

import pytest

from .helpers import CORPUS, by_path, codes, corpus_bytes, parse_json

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not available")


# ---------------------------------------------------------------- 000: Yinchuan notice, three plans


@pytest.fixture(scope="module")
def yinchuan() -> dict:
    return parse_json(corpus_bytes("000"))


def test_000_three_plans_with_notice_metadata(yinchuan):
    plans = yinchuan["plans"]
    assert [p["title"] for p in plans] == [
        "银川市职业教育改革发展行动计划(2019—2023年)",
        "加快推进全市优质教育资源扩面提升实施方案",
        "加快提升闽宁镇教育发展水平实施方案",
    ]
    for p in plans:
        assert p["issued_on"] == "2019-05-28"  # 成文日期 header
        assert p["issuer"] == "中共银川市委办公室、银川市人民政府办公室"  # signature line
        assert p["doc_number"] is None
    # the signature date "20195月28日" is a typo: flagged, not silently read
    assert any(w["code"] == "date_typo" and "20195月28日" in w["message"] for w in yinchuan["warnings"])


def test_000_clause_and_task_counts(yinchuan):
    counts = [(len(p["clauses"]), sum(c["is_task"] for c in p["clauses"])) for p in yinchuan["plans"]]
    assert counts == [(23, 16), (42, 21), (17, 8)]


def test_000_plan1_structure(yinchuan):
    plan = yinchuan["plans"][0]
    paths = [c["path"] for c in plan["clauses"]]
    assert paths[:3] == ["一、", "二、", "二、/1."]
    assert [p for p in paths if p.startswith("二、/")] == [f"二、/{i}." for i in range(1, 17)]
    c = by_path(plan)
    assert c["二、/1."]["heading"] == "强化立德树人导向"
    assert c["二、/16."]["heading"] == "提升国际合作水平"
    # 三、 is missing in the source: 四、 is accepted with a numbering warning
    assert "numbering" in codes(c["四、"])
    assert c["四、"]["heading"] == "保障措施"
    assert not any(c[p]["is_task"] for p in ("四、/(一)", "四、/(二)", "四、/(三)", "四、/(四)"))
    # tasks under 重点任务 without units get the issuer as a flagged proposal
    assert c["二、/1."]["is_task"] and c["二、/1."]["lead"] == ["市委办公室"]
    assert "lead_from_issuer" in codes(c["二、/1."]) and "task_without_unit" not in codes(c["二、/1."])
    # "2019年起 …" is a start, not a due date; a recurring task keeps its recurrence
    assert (c["二、/15."]["due"], c["二、/15."]["recurrence"]) == (None, "yearly")
    assert "due_from_plan_period" not in codes(c["二、/15."])
    # "2020年起…2022年起全面实施": no due date written, the plan period's end is proposed
    assert (c["二、/5."]["due"], c["二、/5."]["due_text"]) == ("2023-12-31", "")
    assert "due_from_plan_period" in codes(c["二、/5."])
    assert c["一、"]["due"] == "2023-12-31" and c["一、"]["due_text"] == "到2023年"
    # recurrence from "每年调整一次专业"
    assert c["二、/7."]["recurrence"] == "yearly"


def test_000_plan2_phases_and_prose_leads(yinchuan):
    plan = yinchuan["plans"][1]
    c = by_path(plan)
    steps = c["四、/(一)/1./2)"]
    assert steps["heading"] == "实施步骤"
    assert steps["lead"] == ["市教育局"]  # "由市教育局依据《…考核细则》进行考核"
    assert [(p["kind"], p["name"], p["start"], p["end"]) for p in steps["phases"]] == [
        ("preparation", "前期筹备阶段", "2019-06-01", None),  # end "2019年月8月" is a typo
        ("operation", "操作运行阶段", "2019-09-01", "2019-09-30"),
        ("evaluation", "考核评估阶段", "2020-08-01", "2020-08-31"),
    ]
    assert "date_typo" in codes(steps)
    assert any("2019年月8月" in w["message"] for w in steps["warnings"])
    assert steps["phases"][0]["text"].startswith("前期筹备阶段:(2019年6月至2019年月8月)")
    assert steps["due"] == "2020-08-31" and steps["due_text"] == "2020年8月"
    second = c["四、/(一)/2./2)"]
    assert [p["end"] for p in second["phases"]] == [None, "2020-09-30", "2021-08-31"]

    # other phase names map to the three kinds, keeping the original name
    p = c["四、/(二)/2./1)"]["phases"][0]
    assert (p["kind"], p["name"], p["start"], p["end"]) == ("preparation", "制定方案阶段", "2019-06-01", "2019-06-30")
    p = c["四、/(二)/2./2)"]["phases"][0]
    assert (p["kind"], p["name"], p["end"]) == ("operation", "联合推进阶段", "2019-08-31")
    p = c["四、/(二)/2./3)"]["phases"][0]
    assert (p["kind"], p["name"]) == ("evaluation", "总结推广阶段")
    p = c["四、/(三)/2."]["phases"][0]
    assert (p["kind"], p["name"]) == ("operation", "推进实施阶段")
    assert c["四、/(三)/1."]["due"] == "2019-08-31"  # 2019年6月至8月

    joint = c["四、/(四)/2)"]
    assert joint["lead"] == ["市教育局"]  # "由市教育局牵头"
    assert joint["is_task"] and joint["phases"][0]["end"] == "2019-11-30"
    # 保障措施 stays non-task unless a unit is assigned
    assert not c["五、/(一)"]["is_task"]
    assert c["五、/(五)"]["is_task"] and c["五、/(五)"]["lead"] == ["市教育局"]  # 由市教育局负责制定…
    assert c["五、/(三)"]["lead"] == ["各县(市)区"]  # 由县(市)区政府按照… → group
    assert not c["三、/(一)"]["is_task"]  # 主要模式 is descriptive


def test_000_plan3_units_phases_recurrence(yinchuan):
    plan = yinchuan["plans"][2]
    c = by_path(plan)
    assert not c["一、"]["is_task"]  # 目标任务 is a goal section
    steps = c["二、/(一)/1./2)"]
    assert steps["lead"] == ["市教育局", "永宁县教体局"]
    assert "unknown_unit" in codes(steps)  # 永宁县教体局 is not in the registry
    kinds = [(p["kind"], p["name"]) for p in steps["phases"]]
    assert kinds == [("preparation", "前期筹备阶段"), ("operation", "操作运行阶段"), ("evaluation", "跟踪评价阶段")]
    assert steps["phases"][0]["start"] == "2019-06-01" and steps["phases"][0]["end"] == "2019-08-31"
    assert c["二、/(二)"]["recurrence"] == "yearly"
    assert c["二、/(三)"]["recurrence"] == "quarterly"
    assert c["二、/(四)"]["recurrence"] == "semester"
    # the trailing "附件:" with nothing after it is not a clause
    assert all(not p.startswith("附件") for p in c)


def test_000_chrome_is_not_in_clause_text(yinchuan):
    for plan in yinchuan["plans"]:
        for c in plan["clauses"]:
            assert "一图读懂" not in c["text"] and "扫一扫" not in c["text"]


def test_000_spans_point_at_the_source(yinchuan):
    src = corpus_bytes("000").decode("utf-8")
    for plan in yinchuan["plans"]:
        for c in plan["clauses"]:
            s, e = c["span"]
            assert src[s:e].startswith(c["label"])
            assert c["text"].split("\n")[0][:10] in src[s:e]


# ---------------------------------------------------------------- 001: news article


def test_001_news_article_is_handled_gracefully():
    data = parse_json(corpus_bytes("001"))
    assert len(data["plans"]) == 1
    plan = data["plans"][0]
    assert plan["clauses"] == []
    assert plan["title"].startswith("银川教育部门最新发布")
    assert [w["code"] for w in data["warnings"]] == ["no_clauses"]
    assert "新闻" in data["warnings"][0]["message"]


# ---------------------------------------------------------------- 002: Lianyun, traditional, header table


@pytest.fixture(scope="module")
def lianyun() -> dict:
    return parse_json(corpus_bytes("002"))


def test_002_metadata(lianyun):
    (plan,) = lianyun["plans"]
    assert plan["title"] == "連云區落實《連云港市義務教育優質均衡發展三年行動計劃(2017—2020年)》實施方案"
    assert plan["doc_number"] == "連區教〔2017〕89號"
    assert plan["issued_on"] == "2017-08-07"
    assert plan["issuer"] == "連云區教育局"


def test_002_counts_and_structure(lianyun):
    (plan,) = lianyun["plans"]
    assert len(plan["clauses"]) == 44
    assert sum(c["is_task"] for c in plan["clauses"]) == 14
    c = by_path(plan)
    assert c["五、/(一)"]["is_task"] and c["五、/(一)"]["heading"] == "實行“三個互動”"
    assert c["四、/(二)"]["lead"] == ["市教育局"]  # "在市教育局統籌下"
    assert c["五、/(三)"]["recurrence"] == "semester"  # 每學期開展
    # attachment list lines ("附件:1.… 2.…") are not clauses
    assert "六、/(五)/2." not in c


def test_002_recurring_deadline(lianyun):
    c = by_path(lianyun["plans"][0])["六、/(五)"]
    assert c["recurrence"] == "yearly:08-10"
    assert c["due"] == "2017-08-10"  # first occurrence on/after the issue date 2017-08-07
    assert c["due_text"] == "每年的8月10日前"
    assert "2017年8月7日" not in c["text"]  # the signature block is not clause text


def test_002_attachment_table_rows(lianyun):
    c = by_path(lianyun["plans"][0])
    rows = [p for p in c if p.startswith("附件1/")]
    assert rows == [f"附件1/{i}" for i in range(1, 11)]
    assert c["附件1/1"]["lead"] == ["连云港市新海实验中学苍梧校区"] and c["附件1/1"]["co"] == ["西苑中学"]
    # merged 共建形式 cell: the shifted row is realigned and inherits 市区共建
    assert c["附件1/2"]["lead"] == ["连云港师专一附小教育集团"] and c["附件1/2"]["co"] == ["云山小学"]
    assert "共建形式:市 區 共 建" in c["附件1/2"]["text"]
    assert c["附件1/4"]["co"] == ["板桥小学", "连岛小学", "临海路小学"]
    assert c["附件1/10"]["co"] == ["墟沟小学", "连岛小学", "海客瀛洲小学(待建)"]
    assert all(c[p]["is_task"] for p in rows)
    assert "unknown_unit" in codes(c["附件1/1"])  # schools are not registry departments
    annex2 = [p for p in c if p.startswith("附件2/")]
    assert len(annex2) == 15
    assert c["附件2/三、/6."]["recurrence"] == "yearly:08-10"


# ---------------------------------------------------------------- 004: Xining, traditional, pinyin


@pytest.fixture(scope="module")
def xining() -> dict:
    return parse_json(corpus_bytes("004"))


def test_004_metadata(xining):
    (plan,) = xining["plans"]
    assert plan["title"] == "西寧市貫徹落實加快中西部教育發展指導意見實施方案"
    assert plan["doc_number"] == "寧政辦〔2017〕164號"
    assert plan["issuer"] == "西寧市人民政府辦公廳"
    assert plan["issued_on"] == "2017-07-31"


def test_004_pinyin_is_stripped(xining):
    for c in xining["plans"][0]["clauses"]:
        assert "(guān)" not in c["text"] and "(shí)" not in c["text"] and "huì" not in c["text"]
        assert "(" not in c["heading"] or "）" in c["heading"]


def test_004_counts(xining):
    (plan,) = xining["plans"]
    assert len(plan["clauses"]) == 43
    tasks = [c for c in plan["clauses"] if c["is_task"]]
    assert [c["label"] for c in tasks] == [f"{i}." for i in range(1, 30)]
    assert all(c["lead"] for c in tasks)


def test_004_units_first_listed_leads(xining):
    c = by_path(xining["plans"][0])
    one = c["二、/(一)/1."]
    assert one["heading"] == "不斷擴大學前教育資源供給"
    assert one["lead"] == ["各县区政府"]
    assert one["co"] == ["市教育局", "市发改委", "市财政局", "市规建局", "市自然资源局"]
    # 下同: the rule carries to later notes without one
    assert c["二、/(二)/5."]["lead"] == ["市教育局"]
    assert c["二、/(二)/5."]["co"] == ["市发改委", "市人社局", "市财政局", "各县区政府"]
    assert c["二、/(三)/11."]["co"][-1] == "三县政府"
    assert c["二、/(四)/18."]["lead"] == ["市教育局"] and c["二、/(四)/18."]["co"] == []
    assert c["二、/(六)/23."]["co"] == ["市教育局", "市农牧和扶贫开发局"]
    assert c["二、/(七)/27."]["lead"] == ["各县区政府"]  # "各縣區政府,市教育局、…" comma in list
    assert c["二、/(七)/26."]["co"] == ["市教育局", "市财政局", "市大数据局"]
    assert c["二、/(二)/10."]["co"] == ["市教育局", "市委编办", "市人社局", "市财政局"]
    # parents are not tasks, their heading is the first sentence
    assert c["二、/(一)"]["heading"] == "加快普及有質量的學前教育" and not c["二、/(一)"]["is_task"]
    assert not any(w["code"] == "unknown_unit" for x in c.values() for w in x["warnings"])


def test_004_dates(xining):
    c = by_path(xining["plans"][0])
    assert (c["二、/(一)/2."]["due"], c["二、/(一)/2."]["due_text"]) == ("2019-12-31", "到2019年")
    assert c["二、/(一)/4."]["due"] == "2020-12-31"
    assert c["二、/(二)/5."]["due"] == "2017-12-31"
    assert (c["二、/(四)/19."]["due"], c["二、/(四)/19."]["due_text"]) == ("2020-12-31", "“十三五”末")
    assert c["二、/(一)/1."]["due"] is None
    assert c["三、/(一)"]["recurrence"] == "yearly"  # 每年召開一次專題會議


def test_004_spam_and_chrome_removed(xining):
    last = xining["plans"][0]["clauses"][-1]
    assert last["path"] == "三、/(四)"
    assert "本文" not in last["text"] and "二維碼" not in last["text"] and "_" not in last["text"]
