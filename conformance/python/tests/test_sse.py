import unittest

from chatwire_driver.sse import EventTooLargeError, SSEDecoder, ServerSentEvent, iter_events


def events_of(*pieces, **options):
    return list(iter_events([piece if isinstance(piece, bytes) else piece.encode() for piece in pieces], **options))


def datas(*pieces):
    return [event.data for event in events_of(*pieces)]


def byte_by_byte(text):
    data = text.encode()
    return [data[i : i + 1] for i in range(len(data))]


class LineEnds(unittest.TestCase):
    def test_lf_crlf_and_lone_cr_end_lines_alike(self):
        for sep in ("\n", "\r\n", "\r"):
            with self.subTest(sep=repr(sep)):
                text = "data: a%sdata: b%s%sdata: c%s%s" % (sep, sep, sep, sep, sep)
                self.assertEqual(datas(text), ["a\nb", "c"])

    def test_a_crlf_cut_between_its_cr_and_lf_is_one_line_end(self):
        self.assertEqual(datas("data: a\r", "\n\r", "\ndata: b\r\n\r\n"), ["a", "b"])

    def test_mixed_line_ends(self):
        self.assertEqual(datas("data: a\r\ndata: b\rdata: c\n\r\n"), ["a\nb\nc"])

    def test_any_cut_gives_the_same_events(self):
        text = "\ufeffdata: é€😀\r\n\r\n: c\rid: 7\nevent: x\ndata:1\r\rdata: [DONE]\n\n"
        whole = events_of(text)
        self.assertEqual([event.data for event in whole], ["é€😀", "1", "[DONE]"])
        self.assertEqual(list(iter_events(byte_by_byte(text))), whole)


class Fields(unittest.TestCase):
    def test_one_leading_space_is_dropped_and_only_one(self):
        self.assertEqual(datas("data:x\n\ndata: x\n\ndata:  x\n\n"), ["x", "x", " x"])

    def test_data_lines_join_with_newlines_and_an_empty_data_line_counts(self):
        self.assertEqual(datas("data: a\ndata\ndata: b\n\n"), ["a\n\nb"])
        self.assertEqual(datas("data:\n\n"), [""])

    def test_event_type_defaults_to_message_and_resets_after_dispatch(self):
        events = events_of("event: error\ndata: boom\n\ndata: next\n\n")
        self.assertEqual([(e.event, e.data) for e in events], [("error", "boom"), ("message", "next")])

    def test_a_block_without_data_dispatches_nothing_and_forgets_its_type(self):
        events = events_of("event: ping\n\ndata: a\n\n")
        self.assertEqual([(e.event, e.data) for e in events], [("message", "a")])

    def test_comments_and_unknown_fields_are_ignored(self):
        self.assertEqual(datas(": keep-alive\n:\nfoo: bar\ndata: a\n\n"), ["a"])

    def test_id_persists_and_retry_takes_digits_only(self):
        events = events_of("id: 1\nretry: 250\ndata: a\n\nretry: 2x\ndata: b\n\nid: bad\0id\ndata: c\n\n")
        self.assertEqual(events[0], ServerSentEvent("message", "a", "1", 250))
        self.assertEqual(events[1], ServerSentEvent("message", "b", "1", None))
        self.assertEqual(events[2].id, "1")

    def test_a_field_name_is_case_sensitive(self):
        self.assertEqual(datas("Data: a\ndata: b\n\n"), ["b"])


class StreamEnds(unittest.TestCase):
    def test_an_event_without_its_blank_line_is_dropped_at_the_end(self):
        self.assertEqual(datas("data: a\n\ndata: b\n"), ["a"])
        self.assertEqual(datas("data: a\n\ndata: b"), ["a"])

    def test_a_final_lone_cr_ends_its_line_but_not_the_event(self):
        self.assertEqual(datas("data: a\r"), [])
        self.assertEqual(datas("data: a\r\r"), ["a"])

    def test_a_byte_order_mark_is_skipped_only_at_the_start(self):
        self.assertEqual(datas(b"\xef\xbb", b"\xbfdata: a\n\n"), ["a"])
        self.assertEqual(datas("data: a\n\n\ufeffdata: b\n\n"), ["a"])

    def test_a_character_cut_across_pieces_is_whole_and_bad_bytes_are_replaced(self):
        self.assertEqual(datas(b"data: \xc3", b"\xa9\n\n"), ["\u00e9"])
        self.assertEqual(datas(b"data: \xff\n\n"), ["\ufffd"])
        self.assertEqual(datas(b"data: \xc3\n\n"), ["\ufffd"])

    def test_feed_returns_events_as_their_blank_line_arrives(self):
        decoder = SSEDecoder()
        self.assertEqual(decoder.feed(b"data: a\n"), [])
        self.assertEqual([e.data for e in decoder.feed(b"\n")], ["a"])
        self.assertEqual(decoder.end(), [])


class SizeLimits(unittest.TestCase):
    def test_an_overlong_line_or_event_raises(self):
        with self.assertRaises(EventTooLargeError):
            events_of("data: " + "x" * 100, max_event_size=50)
        with self.assertRaises(EventTooLargeError):
            events_of("data: " + "x" * 30 + "\n" + "data: " + "x" * 30 + "\n", max_event_size=50)


if __name__ == "__main__":
    unittest.main()
