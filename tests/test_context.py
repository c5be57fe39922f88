from graph.context import Context, left_of_run


def test_a_deadline_is_the_whole_runs_not_one_per_post() -> None:
    context = Context(deadline_s=10)
    assert left_of_run(context, run_started=100.0, now=100.0).deadline_s == 10
    assert left_of_run(context, run_started=100.0, now=107.5).deadline_s == 2.5
    # Past it: what is left is (almost) nothing, so no request starts and the post runs offline.
    assert 0 < left_of_run(context, run_started=100.0, now=130.0).deadline_s < 0.001


def test_no_deadline_stays_none() -> None:
    context = Context()
    assert left_of_run(context, run_started=0.0, now=1e6) is context
