from __future__ import annotations

from pathlib import Path

from builder.units import Registry, UnitEntry, load_registry

ROOT = Path(__file__).resolve().parent.parent


def registry() -> Registry:
    reg, problems = load_registry(ROOT / "data" / "units.yml")
    assert problems == ()
    return reg


def test_separated_names() -> None:
    split = registry().scope(None).split("省发展改革委,省经济和信息化厅，合肥市政府、省科技厅")
    assert split.names == ("省发展改革委", "省经济和信息化厅", "合肥市政府", "省科技厅")
    assert split.unknown == ()


def test_run_together_names_and_office() -> None:
    split = registry().scope(None).split("市经济和信息化局安庆石化安庆高新区管委会【产业科】")
    assert split.names == ("市经济和信息化局", "安庆石化", "安庆高新区管委会")
    assert split.offices == ("产业科",)


def test_parentheses_belong_to_the_name() -> None:
    split = registry().scope(None).split("市经济和信息化局市财政局（市国资委）【中小办】")
    assert split.names == ("市经济和信息化局", "市财政局(市国资委)")
    split = registry().scope(None).split("市经济和信息化局相关县(市、区)政府【重点办】")
    assert split.names == ("市经济和信息化局", "相关县(市、区)政府")


def test_alias_maps_to_canonical_name() -> None:
    assert registry().scope(None).split("市工信局 【投资办】").names == ("市经济和信息化局",)


def test_unknown_leftover_is_kept_not_dropped() -> None:
    split = registry().scope(None).split("市经济和信息化局市某某新设中心市科技局")
    assert split.names == ("市经济和信息化局", "市某某新设中心", "市科技局")
    assert split.unknown == ("市某某新设中心",)


def test_prefers_fewest_unknown_characters() -> None:
    reg = Registry((UnitEntry("甲乙"), UnitEntry("乙丙丁"), UnitEntry("甲")))
    assert reg.scope(None).split("甲乙丙丁").names == ("甲", "乙丙丁")


def test_registry_rejects_a_name_claimed_twice(tmp_path: Path) -> None:
    path = tmp_path / "units.yml"
    path.write_text(
        "units:\n  - name: 甲局\n    aliases: [乙局]\n  - name: 乙局\n", encoding="utf-8"
    )
    _, problems = load_registry(path)
    assert any("同时属于" in p.message for p in problems)


def test_a_bracket_after_a_name_is_a_second_body_by_its_role_or_a_note() -> None:
    """新建区's 业主单位: 区教体局(区国资公司代建) names the owner and the body building for it;
    某公司(开发商配建学校项目) says what the company does. Neither bracket is part of a name;
    two names of one unit the registry does not know stay as written."""
    scope = Registry(
        (UnitEntry("区教体局"), UnitEntry("区国资公司"), UnitEntry("新区财政局", ("区财政局",)))
    ).scope(None)
    assert scope.split("区教体局(区国资公司代建)").names == ("区教体局", "区国资公司")
    company = scope.split("南昌市政大道房地产有限公司(开发商配建学校项目)")
    assert company.names == ("南昌市政大道房地产有限公司",)
    assert scope.split("新区财政局（区财政局）").names == ("新区财政局",)
    assert scope.split("市住建局(市城管局)").names == ("市住建局(市城管局)",)
    assert scope.split("各县(市、区)").names == ("各县(市、区)",)
    lead = scope.split("区教体局（牵头）")
    assert (lead.names, lead.lead) == (("区教体局",), ("区教体局",))
    # The note is kept where the cell is shown as written.
    assert scope.rewrites("南昌市政大道房地产有限公司(开发商配建学校项目)")
