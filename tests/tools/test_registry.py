from tools.registry import TOOLS, openai_tools


def test_every_tool_has_a_description_and_no_injected_arguments():
    for spec in openai_tools():
        fn = spec["function"]
        assert fn["description"], fn["name"]
        assert "ctx" not in fn["parameters"].get("properties", {})
        for name, prop in fn["parameters"].get("properties", {}).items():
            assert prop.get("description"), f"{fn['name']}.{name} lacks a description"


def test_write_off_is_only_a_refusal(ctx):
    result = TOOLS["request_write_off"].call(ctx, {"invoices": ["INV-1"]})
    assert result.proposals == [] and "controller" in result.refusal
