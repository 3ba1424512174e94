from storepos.services.core import printout


def test_fit_and_left_right_count_cjk_as_two_columns():
    assert printout.width_of("咖啡机") == 6
    assert printout.width_of(printout.fit("意式半自动咖啡机", 9)) == 9
    line = printout.left_right("意式半自动咖啡机 KC-0001", "¥1,299.00", 40)
    assert printout.width_of(line) == 40 and line.endswith("¥1,299.00")


def test_wrap_never_exceeds_width():
    for width in (40, 80):
        for line in printout.wrap("不锈钢双头燃气灶 Stainless double-burner gas stove " * 5, width):
            assert printout.width_of(line) <= width


def test_wrap_breaks_latin_at_spaces_and_cjk_anywhere():
    lines = printout.wrap("Semi-automatic espresso machine with steam wand, stainless", 20)
    assert lines == ["Semi-automatic", "espresso machine", "with steam wand,", "stainless"]
    assert printout.wrap("意式半自动咖啡机意式半自动咖啡机", 10) == ["意式半自动", "咖啡机意式", "半自动咖啡", "机"]
    assert printout.wrap("咖啡机 espresso machine", 14) == ["咖啡机", "espresso", "machine"]
    assert printout.wrap("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
    assert printout.wrap("ab 咖啡机咖啡机", 8) == ["ab 咖啡", "机咖啡机"]
