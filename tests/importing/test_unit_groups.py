"""One synthetic test per rule of docs/import.md "Who is responsible": where unit groups
stand, how roles are read, who leads, and how groups shape the tasks."""

from __future__ import annotations

from .helpers import by_path, codes, parse_json

HEAD = "某某市推进学校体育工作实施方案\n\n一、总体要求\n坚持健康第一。\n\n二、主要任务\n\n"


def clauses(body: str, head: str = HEAD) -> dict:
    data = parse_json(head + body)
    assert len(data["plans"]) == 1
    return by_path(data["plans"][0])


def units(c: dict) -> tuple[list[str], list[str]]:
    return c["lead"], c["co"]


# ---------------------------------------------------------------- where a unit group stands


def test_bracketed_group_with_role_words_and_no_keyword():
    c = clauses("1.推进甲事。做好甲事(市教育局、市财政局牵头,市人社局、各县区政府配合)。\n")
    assert units(c["二、/1."]) == (["市教育局", "市财政局"], ["市人社局", "各县区政府"])


def test_bare_bracketed_list_counts_only_where_it_closes_a_sentence():
    c = clauses(
        "1.推进甲事。做好甲事。(市教育局、市财政局)\n"
        "2.推进乙事。请市体育局(市教育局)做好乙事,并报送。\n"
    )
    assert units(c["二、/1."]) == (["市教育局"], ["市财政局"])
    assert units(c["二、/2."]) == ([], [])  # mid-sentence brackets explain, they do not assign


def test_keyword_segment_after_a_sentence_and_on_a_line_of_its_own():
    c = clauses("1.推进甲事。做好甲事。责任单位:市教育局、市财政局\n2.推进乙事。做好乙事。\n责任单位:市人社局。\n")
    assert units(c["二、/1."]) == (["市教育局"], ["市财政局"])
    assert units(c["二、/2."]) == (["市人社局"], [])


def test_line_of_names_with_role_words_is_a_group_but_a_bare_roster_is_not():
    c = clauses("1.推进甲事。做好甲事。\n市教育局牵头,市财政局配合\n2.组建合作体。\n甲小学与乙小学、丙小学\n")
    assert units(c["二、/1."]) == (["市教育局"], ["市财政局"])
    assert units(c["二、/2."]) == ([], [])


def test_lead_and_co_lines_one_below_the_other_are_one_note():
    c = clauses("1.推进甲事。做好甲事。\n牵头单位:市教育局\n配合单位:市财政局、市人社局\n")
    assert units(c["二、/1."]) == (["市教育局"], ["市财政局", "市人社局"])
    assert "二、/1./1-2" not in c


def test_square_brackets_hold_unit_notes_too():
    c = clauses("1.推进甲事。做好甲事。【责任单位:市教育局、市财政局】\n")
    assert units(c["二、/1."]) == (["市教育局"], ["市财政局"])


# ---------------------------------------------------------------- roles inside a group


def test_generic_words_and_duty_phrases_are_dropped():
    c = clauses("1.推进甲事。做好甲事(市教育局、市财政局等相关部门及各地区按职责分工负责)。\n")
    assert units(c["二、/1."]) == (["市教育局"], ["市财政局", "各地区"])


def test_lead_words_before_responsible_words_make_the_rest_co():
    c = clauses("1.推进甲事。做好甲事(市教育局牵头,各县区政府、各有关部门负责)。\n")
    assert units(c["二、/1."]) == (["市教育局"], ["各县区政府"])


def test_working_together_with_makes_the_first_lead():
    c = clauses("1.推进甲事。做好甲事(市教育局会同市财政局、有关部门负责)。\n")
    assert units(c["二、/1."]) == (["市教育局"], ["市财政局"])


def test_and_splits_only_between_two_names():
    c = clauses("1.推进甲事。做好甲事(省工业和信息化厅及各市政府按职责分工负责)。\n")
    assert units(c["二、/1."]) == (["省工业和信息化厅"], ["各市政府"])


def test_a_role_written_after_one_name():
    c = clauses("1.推进甲事。做好甲事。(责任单位:市财政局、市教育局(牵头)、市人社局)\n")
    assert units(c["二、/1."]) == (["市教育局"], ["市财政局", "市人社局"])
    assert "lead_assumed" not in codes(c["二、/1."])


def test_people_and_deadlines_inside_a_note_are_not_units():
    c = clauses("1.推进甲事。做好甲事。(牵头领导:张三;牵头单位:市教育局;配合单位:市财政局;完成时限:2026年12月底)\n")
    assert units(c["二、/1."]) == (["市教育局"], ["市财政局"])
    assert c["二、/1."]["due"] == "2026-12-31"


def test_a_collective_keeps_its_members_named_without_a_level():
    c = clauses("1.推进甲事。做好甲事。(责任单位:区教育局,各乡镇人民政府、街道办事处)\n")
    assert units(c["二、/1."]) == (["区教育局"], ["各乡镇人民政府、街道办事处"])


# ---------------------------------------------------------------- who leads


def test_several_lead_units_are_joint_leads():
    c = clauses("1.推进甲事。做好甲事(市教育局、市体育局牵头,市财政局配合)。\n")
    assert units(c["二、/1."]) == (["市教育局", "市体育局"], ["市财政局"])


def test_first_listed_rule_carries_on_with_the_same_below():
    c = clauses(
        "1.推进甲事。做好甲事。(责任单位:市教育局、市财政局,列第一位的为牵头单位,下同)\n"
        "2.推进乙事。做好乙事。(责任单位:市人社局、市教育局)\n"
    )
    assert units(c["二、/2."]) == (["市人社局"], ["市教育局"])
    assert "lead_assumed" not in codes(c["二、/1."]) + codes(c["二、/2."])


def test_rule_stated_once_outside_any_group_holds_for_the_whole_plan():
    head = HEAD.replace("二、主要任务\n\n", "二、主要任务\n(各项任务中排在第一位的部门为牵头部门)\n")
    c = clauses("1.推进甲事。做好甲事。(责任单位:市教育局、市财政局)\n", head=head)
    assert units(c["二、/1."]) == (["市教育局"], ["市财政局"])
    assert "lead_assumed" not in codes(c["二、/1."])


def test_comma_rule_makes_the_units_before_the_comma_lead():
    c = clauses(
        "1.推进甲事。做好甲事。(责任单位:市教育局、市体育局,市财政局。逗号前为牵头单位,下同)\n"
        "2.推进乙事。做好乙事。(责任单位:市人社局,市教育局)\n"
    )
    assert units(c["二、/1."]) == (["市教育局", "市体育局"], ["市财政局"])
    assert units(c["二、/2."]) == (["市人社局"], ["市教育局"])


def test_a_rule_inside_one_group_without_the_same_below_holds_for_that_group_only():
    c = clauses(
        "1.推进甲事。做好甲事。(责任单位:市教育局、市财政局,列第一位的为牵头单位)\n"
        "2.推进乙事。做好乙事。(责任单位:市人社局、市教育局)\n"
    )
    assert "lead_assumed" not in codes(c["二、/1."])
    assert units(c["二、/2."]) == (["市人社局"], ["市教育局"]) and "lead_assumed" in codes(c["二、/2."])


def test_one_responsible_unit_is_a_firm_lead():
    c = clauses("1.推进甲事。做好甲事(市教育局负责)。\n")
    assert units(c["二、/1."]) == (["市教育局"], []) and "lead_assumed" not in codes(c["二、/1."])


def test_several_responsible_units_without_a_rule_lead_first_listed_with_a_warning():
    c = clauses("1.推进甲事。做好甲事(市教育局、市财政局、市人社局分工负责)。\n")
    assert units(c["二、/1."]) == (["市教育局"], ["市财政局", "市人社局"])
    assert codes(c["二、/1."]).count("lead_assumed") == 1


# ---------------------------------------------------------------- structure


def test_each_closing_group_of_a_paragraph_is_a_task_of_its_own():
    c = clauses(
        "1.推进甲事。做好第一项(市教育局牵头,市财政局配合)。做好第二项工作(市人社局牵头)。"
        "做好第三项工作(各县区政府负责)。\n"
    )
    assert units(c["二、/1."]) == (["市教育局"], ["市财政局"])
    assert c["二、/1."]["text"].endswith("(市教育局牵头,市财政局配合)。")
    assert units(c["二、/1./1-2"]) == (["市人社局"], [])
    assert c["二、/1./1-2"]["text"] == "做好第二项工作(市人社局牵头)。"
    assert units(c["二、/1./1-3"]) == (["各县区政府"], [])
    assert all(c[p]["is_task"] for p in ("二、/1.", "二、/1./1-2", "二、/1./1-3"))


def test_a_heading_alone_keeps_its_heading_and_each_paragraph_below_is_a_task():
    c = clauses(
        "(一)支持平台建设\n培育平台。给予奖励。(责任单位:市工信局、市财政局)\n推动上云。给予补助。(责任单位:市工信局)\n"
    )
    assert c["二、/(一)"]["heading"] == "支持平台建设" and not c["二、/(一)"]["is_task"]
    assert c["二、/(一)/(一)-1"]["heading"] == "培育平台"
    assert units(c["二、/(一)/(一)-1"]) == (["市工信局"], ["市财政局"])
    assert units(c["二、/(一)/(一)-2"]) == (["市工信局"], [])


def test_one_group_after_several_paragraphs_covers_them_all():
    c = clauses("1.推广新模式。\n智能化制造。鼓励企业改造。\n网络化协同。支持企业协同。(责任单位:市工信局)\n")
    assert units(c["二、/1."]) == (["市工信局"], [])
    assert [p for p in c if p.startswith("二、/1./")] == []


def test_a_note_naming_nobody_still_closes_its_measure():
    c = clauses("1.推进甲事。做好第一项(各有关部门分工负责)。做好第二项工作(市人社局牵头)。\n")
    assert units(c["二、/1."]) == ([], [])
    assert units(c["二、/1./1-2"]) == (["市人社局"], [])


def test_a_unit_line_after_the_last_sub_item_covers_the_clause():
    c = clauses(
        "(一)推进甲事。\n1.做好第一件事。\n2.做好第二件事。\n(责任单位:市教育局、市财政局)\n"
        "(二)推进乙事。(市人社局负责)\n"
    )
    assert units(c["二、/(一)"]) == (["市教育局"], ["市财政局"])
    assert units(c["二、/(一)/1."]) == (["市教育局"], ["市财政局"])
    assert units(c["二、/(一)/2."]) == (["市教育局"], ["市财政局"])
    # the sub-items are the tasks; the clause is their heading
    assert [c[p]["is_task"] for p in ("二、/(一)", "二、/(一)/1.", "二、/(一)/2.")] == [False, True, True]


def test_the_next_label_glued_to_a_unit_group_or_a_unit_line_starts_its_clause():
    c = clauses(
        "(一)推进甲事。做好甲事。(市教育局负责)(二)推进乙事。做好乙事。(市财政局负责)\n"
        "(三)推进丙事。做好丙事。\n责任单位:市人社局 (四)\n推进丁事。做好丁事。\n责任单位:市体育局\n"
    )
    assert [units(c[p])[0] for p in ("二、/(一)", "二、/(二)", "二、/(三)", "二、/(四)")] == [
        ["市教育局"],
        ["市财政局"],
        ["市人社局"],
        ["市体育局"],
    ]


def test_a_sidebar_belongs_to_no_clause():
    c = clauses(
        "1.推进甲事。做好甲事。(责任单位:市教育局)\n专栏1 甲事示范工程\n建设一批示范校。(责任单位:市财政局)\n"
        "2.推进乙事。(市人社局负责)\n"
    )
    assert units(c["二、/1."]) == (["市教育局"], [])
    assert "专栏" not in c["二、/1."]["text"] and "示范校" not in c["二、/1."]["text"]
    assert sorted(c) == ["一、", "二、", "二、/1.", "二、/2."]


def test_small_full_stops_and_private_use_glyphs_end_a_clause_number():
    c = clauses("1\ufe52推进甲事。(市教育局负责)\n2\ue010推进乙事。(市财政局负责)\n")
    assert (c["二、/1\ufe52"]["heading"], units(c["二、/2\ue010"])) == ("推进甲事", (["市财政局"], []))


# ---------------------------------------------------------------- tables without borders


def test_table_with_one_cell_per_line():
    c = clauses(
        "序号\n\n重点工作任务\n\n主要责任单位\n\n协同配合单位\n\n一、扩大投资\n\n"
        "3\n\n固定资产投资增长7.5%左右。\n\n区发改委\n\n区工信局、区住建局,各乡镇人民政府、街道办事处。\n\n"
        "4\n\n推进学前教育普惠。\n\n区教育局\n\n区政府有关部门。\n"
    )
    rows = {p: x for p, x in c.items() if x["is_task"]}
    assert [(x["label"], units(x)) for x in rows.values()] == [
        ("3", (["区发改委"], ["区工信局", "区住建局", "各乡镇人民政府、街道办事处"])),
        ("4", (["区教育局"], [])),
    ]


def test_table_with_one_row_per_line_and_a_wrapped_unit_cell():
    c = clauses(
        "序号 重点工作任务 主要责任单位 协同配合单位\n"
        "1 收入增长5%左右。 区财政局\n区税务局\n区政府各部门,魏某集团。\n"
        "2 消费增长8%左右。 区商务局 区发改委、区市场监管局。\n"
    )
    rows = [x for x in c.values() if x["is_task"]]
    assert [(x["label"], units(x)) for x in rows] == [
        ("1", (["区财政局", "区税务局"], ["区政府各部门", "魏某集团"])),
        ("2", (["区商务局"], ["区发改委", "区市场监管局"])),
    ]


def test_a_unit_cell_broken_over_indented_lines_marks_each_unit_where_it_stands():
    c = clauses("序号 重点工作任务 主要责任单位 协同配合单位\n1 收入增长5%左右。 区财政局\n    区税务局\n区发改委。\n")
    (row,) = [x for x in c.values() if x["is_task"]]
    assert units(row) == (["区财政局", "区税务局"], ["区发改委"])
    assert [(m["kind"], m["text"]) for m in row["marks"] if m["kind"] in ("lead", "co")] == [
        ("lead", "区财政局"),
        ("lead", "区税务局"),
        ("co", "区发改委"),
    ]


def test_a_column_of_people_is_not_read_as_units():
    c = clauses(
        "序号 |\n目标与任务 |\n分 管 县领导 |\n牵头责任单位 |\n责任单位 |\n"
        "80 |\n新增托位400个。 |\n俞 悦 |\n县教育局 |\n县各有关单位 |\n"
    )
    (row,) = [x for x in c.values() if x["is_task"]]
    assert units(row) == (["县教育局"], [])
    assert "分管县领导:俞 悦" in row["text"]


# ---------------------------------------------------------------- what the plan proposes


def test_ownerless_undated_work_gets_the_issuer_and_the_plan_period_end():
    head = (
        "甲市教育局关于印发甲市学校体育三年行动计划(2024—2026年)的通知\n"
        "甲市学校体育三年行动计划(2024—2026年)\n一、主要任务\n"
    )
    data = parse_json(head + "1.推进甲事。做好甲事。\n2.推进乙事。2025年6月底前完成。(市财政局负责)\n")
    c = by_path(data["plans"][0])
    assert (c["一、/1."]["lead"], c["一、/1."]["due"]) == (["甲市教育局"], "2026-12-31")
    assert {"lead_from_issuer", "due_from_plan_period"} <= set(codes(c["一、/1."]))
    assert "task_without_unit" not in codes(c["一、/1."])
    assert (c["一、/2."]["lead"], c["一、/2."]["due"]) == (["市财政局"], "2025-06-30")
    assert not {"lead_from_issuer", "due_from_plan_period"} & set(codes(c["一、/2."]))


def test_a_plan_of_one_year_proposes_its_last_day():
    head = "甲市教育局2025年工作要点\n一、重点工作\n"
    c = by_path(parse_json(head + "1.推进甲事。做好甲事。\n")["plans"][0])
    assert (c["一、/1."]["lead"], c["一、/1."]["due"]) == (["甲市教育局"], "2025-12-31")


def test_marks_point_at_what_was_read():
    text = HEAD + "1.推进甲事。2026年6月底前完成(市教育局牵头,市财政局配合)。\n"
    data = parse_json(text)
    c = by_path(data["plans"][0])["二、/1."]
    assert [(m["kind"], m["text"]) for m in c["marks"]] == [
        ("due", "2026年6月底前"),
        ("units", "(市教育局牵头,市财政局配合)"),
        ("lead", "市教育局"),
        ("co", "市财政局"),
    ]
    assert all(text[m["span"][0] : m["span"][1]] == m["text"] for m in c["marks"])


def test_separators_inside_a_bracketed_name_do_not_split_it():
    c = clauses("1.推进甲事。做好甲事。(责任单位:各县(市、区)人民政府,市教育局)\n")
    # the registry knows the collective under its canonical name
    assert units(c["二、/1."]) == (["各县(市)区"], ["市教育局"])


def test_an_empty_field_of_a_form_names_nobody():
    c = clauses("1.推进甲事。做好甲事。\n牵头单位:市教育局\n配合单位:无\n")
    assert units(c["二、/1."]) == (["市教育局"], [])


def test_numbers_written_as_one_glyph_are_clause_labels():
    c = clauses(
        "⒈推进甲事。\n⑴做好第一件事。(市教育局负责)\n⑵做好第二件事。(市财政局负责)\n⒉推进乙事。(市人社局负责)\n"
    )
    assert units(c["二、/⒈/⑴"]) == (["市教育局"], []) and units(c["二、/⒈/⑵"]) == (["市财政局"], [])
    assert units(c["二、/⒉"]) == (["市人社局"], [])


def test_a_column_of_leaders_is_text_and_the_unit_columns_are_read():
    c = clauses(
        "序号 | 重点任务 | 责任领导 | 牵头单位 | 配合单位 | 完成时限\n"
        "1 | 推进甲事 | 张三 | 市教育局 | 市财政局 | 2026年6月底\n"
    )
    (row,) = [x for x in c.values() if x["is_task"]]
    assert (units(row), row["due"]) == ((["市教育局"], ["市财政局"]), "2026-06-30")
    assert "责任领导:张三" in row["text"]


def test_a_remark_after_the_note_is_not_a_unit():
    c = clauses(
        "1.推进甲事。做好甲事。〔责任单位:省教育厅、省财政厅按职责分工负责。具体任务均涉及各市政府,不再做分工,下同。〕\n"
    )
    assert units(c["二、/1."]) == (["省教育厅"], ["省财政厅"])


def test_names_of_unknown_shape_after_a_keyword_are_kept():
    c = clauses("1.推进甲事。\n牵头单位:区发改局\n\n责任单位:某某经济开发区,全区经济运行各专班\n")
    assert units(c["二、/1."]) == (["区发改局"], ["某某经济开发区", "全区经济运行各专班"])
    messages = [w["message"] for w in c["二、/1."]["warnings"] if w["code"] == "unknown_unit"]
    assert messages == [
        "单位“区发改局”不在单位名录中,已按原文保留,请核对。",
        "单位“某某经济开发区”不在单位名录中,已按原文保留,请核对。",
        "单位“全区经济运行各专班”不在单位名录中,也不像常见的单位名称,已按原文保留,请核对。",
    ]


def test_text_taken_from_a_pdf_with_lines_broken_at_the_page_width():
    # a unit list broken after a separator, the next label glued to it, a page number
    # between two items, a keyword and a bracket broken across lines
    c = clauses(
        "1.推进甲事。深入学习贯彻,制定并落实\n年度学习计划,提高学习质量。\n"
        "责任单位:组干科、机关党委、办公室、人事科、\n教科所 2.\n推进乙事。不断巩固深化成效,抓好成果转化。全\n"
        "面推进清廉学校建设。\n责任单位:机关党委、纪检监察室\n- 2 -\n"
        "3.推进丙事。新建幼儿园10所,新增学位3\n000个。(牵头科室:基教科;配合科\n室:规划建设科、计财科)\n"
        "4.推进丁事。实施强校工程。(责\n任科室:基教科、教研室,列第一位的为牵头科室)\n"
    )
    assert [units(c[f"二、/{n}."]) for n in (1, 2, 3, 4)] == [
        (["组干科"], ["机关党委", "办公室", "人事科", "教科所"]),
        (["机关党委"], ["纪检监察室"]),
        (["基教科"], ["规划建设科", "计财科"]),
        (["基教科"], ["教研室"]),
    ]
    assert [m["text"] for m in c["二、/4."]["marks"] if m["kind"] in ("lead", "co")] == ["基教科", "教研室"]


def test_keywords_in_square_brackets_and_a_division_of_work_label():
    c = clauses(
        "1.推进甲事。做好甲事。\n【牵头单位】市教育局【配合单位】市财政局、市人社局\n"
        "2.推进乙事。做好乙事。\n责任分工:市体育局牵头,市教育局配合\n"
    )
    assert units(c["二、/1."]) == (["市教育局"], ["市财政局", "市人社局"])
    assert units(c["二、/2."]) == (["市体育局"], ["市教育局"])


def test_a_remark_on_time_after_the_units_does_not_hide_them():
    c = clauses("1.推进甲事。做好甲事(国家发展改革委、财政部等按职责分工负责,年内持续推进)。\n")
    assert units(c["二、/1."]) == (["国家发展改革委"], ["财政部"])


def test_the_unit_a_plan_names_as_its_own_lead_is_proposed_before_its_issuer():
    head = "甲市人民政府办公室关于印发甲市学校体育实施方案的通知\n甲市学校体育实施方案\n一、主要任务\n"
    body = "1.推进甲事。做好甲事。\n二、组织实施\n本方案自印发之日起施行,由市教育局负责解释。\n"
    c = by_path(parse_json(head + body)["plans"][0])
    assert c["一、/1."]["lead"] == ["市教育局"] and "lead_from_issuer" in codes(c["一、/1."])


def test_an_undated_task_in_a_plan_without_a_period_is_flagged():
    c = clauses("1.推进甲事。做好甲事(市教育局负责)。\n2.推进乙事。2026年6月底前完成(市财政局负责)。\n")
    assert c["二、/1."]["due"] is None and "task_without_due" in codes(c["二、/1."])
    assert "task_without_due" not in codes(c["二、/2."])


def test_paragraphs_without_numbers_that_close_with_unit_groups_are_measures():
    data = parse_json(
        "某某区2025年教育工作要点\n今年工作的总体要求是坚持稳中求进。\n"
        "加强党的建设。深化理论学习。(责任科室:组干科、机关党委)\n"
        "推进优质均衡。实施强校工程。(责任科室:基教科)\n"
    )
    (plan,) = data["plans"]
    assert [(c["label"], c["heading"], c["lead"]) for c in plan["clauses"]] == [
        ("1", "加强党的建设", ["组干科"]),
        ("2", "推进优质均衡", ["基教科"]),
    ]
    assert "no_clauses" not in [w["code"] for w in data["warnings"]]


def test_copy_to_and_printed_lines_close_the_document_and_belong_to_no_clause():
    c = clauses(
        "1.推进甲事。做好第一项(市教育局牵头)。做好第二项(市财政局牵头)。\n"
        "抄送:市委各部门,市人大常委会办公室。\n某某市人民政府办公室2026年3月15日印发\n"
    )
    assert sorted(c) == ["一、", "二、", "二、/1.", "二、/1./1-2"]
    assert "抄送" not in c["二、/1./1-2"]["text"] and c["二、/1./1-2"]["due"] is None


def test_text_after_the_last_group_stays_with_it_unless_it_names_units_in_prose():
    c = clauses(
        "1.推进甲事。做好第一项(市教育局牵头)。做好第二项(市财政局牵头)。\n有关要求另行通知。\n"
        "2.推进乙事。做好第一项(市教育局牵头)。做好第二项(市财政局牵头)。\n由市人社局会同市教育局制定细则。\n"
    )
    assert [p for p in c if p.startswith("二、/1./")] == ["二、/1./1-2"]
    assert c["二、/1./1-2"]["text"].endswith("有关要求另行通知。")
    assert units(c["二、/2./2-3"]) == (["市人社局"], ["市教育局"])


def test_a_period_quoted_from_another_document_is_not_the_plans_own():
    from plans.importing.defaults import plan_period_end

    assert plan_period_end("甲市落实《乙省教育规划(2018—2022年)》实施方案") is None
    assert plan_period_end("甲市教育三年行动计划(2024—2026年)").isoformat() == "2026-12-31"
    assert plan_period_end("甲市教育局2025年工作要点").isoformat() == "2025-12-31"


def test_a_unit_line_between_two_clauses_of_a_mixed_document_is_flagged():
    # one unit line closes its clause, another opens one: a line between siblings may be either
    c = clauses(
        "(一)甲项\n1.做甲。\n责任单位:市教育局\n2.做乙。\n责任单位:市财政局\n(二)乙项\n牵头单位:市人社局\n1.做丙。\n"
    )
    assert units(c["二、/(一)/1."]) == (["市教育局"], [])
    assert "unit_ambiguous" in codes(c["二、/(一)/1."])
    assert "unit_ambiguous" not in codes(c["二、/(一)/2."])


def test_the_comma_rule_cuts_where_the_comma_stands_in_a_list_broken_over_lines():
    c = clauses("1.推进甲事。做好甲事。(责任单位:市\n教\n育\n局、\n市\n体\n育\n局,市财政局。逗号前为牵头单位)\n")
    assert units(c["二、/1."]) == (["市教育局", "市体育局"], ["市财政局"])


def test_a_roster_of_people_in_an_attachment_is_no_task():
    c = clauses(
        "1.推进甲事。做好甲事(市教育局负责)。\n附件\n专项工作组名单\n组　长：王某某 市长\n"
        "成　员：李某 市教育局局长\n　　张某 市财政局局长\n"
    )
    assert [p for p, x in c.items() if x["is_task"]] == ["二、/1."]
