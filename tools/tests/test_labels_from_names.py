"""Tests of tools/labels_from_names.py on the test corpus of tests/e2e/fixtures/programs/corpus
(DataRaceBench's conventions, our own programs) and on programs written here."""
import io
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import labels_from_names  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "..", "tests", "e2e", "fixtures", "programs", "corpus")


def entries(text):
    """{program: (label, pairs)} of a label file's text, comments and spacing aside."""
    out = {}
    for line in text.splitlines():
        line = line.split("#")[0].split()
        if line:
            out[line[0]] = (line[1], " ".join(line[2:]))
    return out


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = labels_from_names.main(["labels_from_names.py"] + argv)
    return status, out.getvalue(), err.getvalue()


class LabelsFromNames(unittest.TestCase):
    def test_the_test_corpus_gets_the_labels_written_for_it_by_hand(self):
        status, out, err = run([CORPUS])
        self.assertEqual(status, 0, err)
        with open(os.path.join(CORPUS, "labels.txt")) as f:
            self.assertEqual(entries(out), entries(f.read()))
        self.assertNotIn("timing.c", out + err)  # utilities/ has no main(): not a program

    def write(self, folder, name, text):
        path = os.path.join(folder, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    def test_several_pairs_numbered_a_line_each_and_names_in_neither_convention(self):
        with tempfile.TemporaryDirectory() as d:
            self.write(d, "kernels/K1-two-pairs-yes.c",
                       "// Data race pairs: we keep both.\n// 1. x@8:3:R vs. x@9:5:W\n"
                       "// 2. x@9:5:W vs. x@9:5:W\nint main(void) { return 0; }\n")
            self.write(d, "K2-none-no.cpp", "int main() { return 0; }\n")
            self.write(d, "K3-unsure.c", "int main(void) { return 0; }\n")
            status, out, err = run([d])
            self.assertEqual(status, 0, err)
            got = entries(out)
            self.assertEqual(got["kernels/K1-two-pairs-yes.c"],
                             ("positive", "x@8:3:R vs. x@9:5:W x@9:5:W vs. x@9:5:W"))
            self.assertEqual(got["K2-none-no.cpp"], ("negative", ""))
            self.assertNotIn("K3-unsure.c", got)
            self.assertIn("K3-unsure.c: its name ends in neither -yes nor -no", err)

    def test_other_suffixes(self):
        with tempfile.TemporaryDirectory() as d:
            self.write(d, "a_racy.c", "int main(void) { return 0; }\n")
            self.write(d, "b_safe.c", "int main(void) { return 0; }\n")
            status, out, _ = run([d, "--positive-suffix", "_racy", "--negative-suffix", "_safe"])
            self.assertEqual(status, 0)
            self.assertEqual(entries(out), {"a_racy.c": ("positive", ""),
                                            "b_safe.c": ("negative", "")})

    def test_bad_input_exits_2_and_an_existing_out_file_is_kept(self):
        with tempfile.TemporaryDirectory() as d:
            status, _, err = run([os.path.join(d, "missing")])
            self.assertEqual(status, 2)
            self.assertIn("is not a folder", err)
            status, _, err = run([d])
            self.assertEqual(status, 2)
            self.assertIn("no C or C++ file", err)
            kept = os.path.join(d, "labels.txt")
            self.write(d, "labels.txt", "mine\n")
            status, _, err = run([CORPUS, "--out", kept])
            self.assertEqual(status, 2)
            self.assertIn("not overwriting", err)
            with open(kept) as f:
                self.assertEqual(f.read(), "mine\n")


if __name__ == "__main__":
    unittest.main()
