"""``chuannan-gis rules``: list and show the rule catalog."""

from __future__ import annotations

import click

from ..errors import RuleError
from .helpers import echo_table, verdict_label
from .options import rules_option


@click.group()
def rules():
    """规则目录 The rule catalog."""


@rules.command("list")
@rules_option
def rules_list(rules_path):
    """列出规则 List the rules: id, verdict, title."""
    from ..rules import load_rules

    catalog = load_rules(rules_path)
    echo_table(
        ("规则 id", "结论 verdict", "关系 relation", "标题 title"),
        [
            (r.id, verdict_label(r.verdict), _relation(catalog, r), f"{r.title.zh} / {r.title.en}")
            for r in catalog.rules
        ],
    )


def _relation(catalog, rule) -> str:
    """'← parent' for a derived rule, '→ companions' for a rule with unknown_where, else ''."""
    if rule.derived_from:
        return f"← {rule.derived_from}"
    return ", ".join(f"→ {d.id}" for d in catalog.derived(rule.id))


@rules.command("show")
@click.argument("rule_id", metavar="ID")
@rules_option
def rules_show(rule_id, rules_path):
    """显示规则 Show one rule in full, with its citation."""
    import yaml

    from ..rules import load_rules

    catalog = load_rules(rules_path)
    try:
        rule = catalog.get(rule_id)
    except KeyError:
        known = ", ".join(r.id for r in catalog.rules)
        raise RuleError(f"没有该规则 no rule {rule_id!r}; rules: {known}", file=catalog.path, feature=rule_id) from None
    shown = rule.model_dump(mode="json", exclude_none=True)
    if not rule.unknown_where:
        shown.pop("unknown_where")
    click.echo(yaml.safe_dump(shown, allow_unicode=True, sort_keys=False), nl=False)
    if rule.derived_from:
        click.echo(f"派生自 derived from: {rule.derived_from} (unknown_where)")
    derived = catalog.derived(rule.id)
    if derived:
        click.echo(f"派生规则 derived rules: {', '.join(d.id for d in derived)}")
    click.echo(f"引文核实 citation: {rule.citation.verified_label()}")
