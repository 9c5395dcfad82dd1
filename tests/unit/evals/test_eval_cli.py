import argparse
from pathlib import Path

from evals import cli


def _parser():
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(dest="command"))
    return parser


def test_register_eval_parses_issue_options():
    args = _parser().parse_args(
        ["eval", "--questions", "q.json", "--format", "alqac", "--compare", "--json", "o.json", "-k", "20"]
    )
    assert args.handler is cli.cmd_eval
    assert args.questions == Path("q.json") and args.fmt == "alqac" and args.compare
    assert args.json == Path("o.json") and args.k == 20 and args.routing is None


def test_register_eval_routing_defaults_to_dev_set():
    args = _parser().parse_args(["eval", "--routing"])
    assert args.routing == cli.ROUTING_DEV


def test_register_bench_parses_scale_and_parts():
    args = _parser().parse_args(
        ["bench", "--scale", "10_000,100000", "--load-clients", "5", "--only", "scale,load"]
    )
    assert args.handler is cli.cmd_bench
    assert args.scale == (10_000, 100_000) and args.load_clients == 5 and args.only == "scale,load"


def test_cmd_bench_rejects_unknown_parts(capsys):
    args = _parser().parse_args(["bench", "--only", "indexing,warp"])
    assert cli.cmd_bench(args, settings=None) == 2
    assert "warp" in capsys.readouterr().err
