"""Label placement on hand-made boxes."""

from gridmgmt.maps.static.labels import inside, overlaps, place_labels

FRAME = (0, 0, 100, 100)


def test_overlap_needs_shared_area():
    assert overlaps((0, 0, 10, 10), (5, 5, 15, 15))
    assert not overlaps((0, 0, 10, 10), (10, 0, 20, 10))  # touching edges
    assert not overlaps((0, 0, 10, 10), (20, 20, 30, 30))


def test_inside_frame():
    assert inside((1, 1, 9, 9), (0, 0, 10, 10))
    assert not inside((-1, 1, 9, 9), (0, 0, 10, 10))


def test_a_lone_label_sits_on_its_anchor():
    assert place_labels([(50, 50)], [(20, 10)], FRAME) == [(50, 50)]


def test_second_label_on_the_same_spot_moves_above():
    spots = place_labels([(50, 50), (50, 50)], [(20, 10), (20, 10)], FRAME)
    assert spots == [(50, 50), (50, 60)]


def test_label_at_the_frame_edge_moves_inside():
    # Centred on (5, 50) a 20-wide box would cross x = 0; the first spot inside is to the right.
    assert place_labels([(5, 50)], [(20, 10)], FRAME) == [(17, 50)]


def test_obstacles_are_avoided():
    spots = place_labels([(50, 50)], [(20, 10)], FRAME, obstacles=[(45, 45, 55, 55)])
    assert spots == [(50, 60)]


def test_no_room_gives_none_and_placed_labels_never_overlap():
    anchors = [(50, 50)] * 40
    spots = place_labels(anchors, [(30, 10)] * 40, FRAME)
    assert None in spots
    boxes = [(x - 15, y - 5, x + 15, y + 5) for x, y in filter(None, spots)]
    assert len(boxes) > 5
    for i, a in enumerate(boxes):
        assert inside(a, FRAME)
        assert not any(overlaps(a, b) for b in boxes[i + 1 :])
