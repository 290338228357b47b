from app.services.params import comma_list


def test_comma_list_strips_drops_empties_and_repeats_in_order():
    assert comma_list(" b, a,,b , c") == ("b", "a", "c")


def test_comma_list_of_nothing_is_empty():
    assert comma_list(None) == ()
    assert comma_list(" , ,") == ()
