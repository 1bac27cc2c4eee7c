//! `kgx._kgx`: kgx's extractor for Python. A document goes through exactly what `kgx extract`
//! does with a file (src/pipeline.rs): its bytes are hashed (sha256) and decoded
//! (`decode_document`: BOM, UTF-8, GB18030; HTML by the name's extension), extracted
//! (`extract_with`) and serialised by serde_json, so `extract` returns the extractions.jsonl
//! line the CLI writes for the same bytes and name. A `str` is taken as its UTF-8 bytes.

use kgx_core::extract::extract_with;
use kgx_core::input::decode_document;
use kgx_core::rules::{load_pack, RuleErrors};
use pyo3::exceptions::{PyFileNotFoundError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PyString, PyTuple};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));
}

pyo3::create_exception!(
    kgx,
    RuleError,
    PyValueError,
    "A rule pack that does not load: the message lists every error as file:line:column, and \
     `errors` holds them as dicts (file, line, column, rule, message, help)."
);
pyo3::create_exception!(
    kgx,
    InputError,
    PyValueError,
    "A document kgx cannot read: binary content (a PDF or PNG signature, more than 10% NUL \
     bytes), bytes that are neither UTF-8, UTF-16 nor GB18030, or text above `max_bytes`. \
     `kgx extract` skips such a file; `doc` names the document."
);

/// Documents above this many bytes are refused unless `max_bytes` says otherwise: extraction
/// holds about 30 times a document's size in memory, and the largest real policy documents
/// are well under 1 MB.
const MAX_BYTES: usize = 16 << 20;

/// The default pack, loaded once per process (a Spark executor's Python worker loads it once).
static DEFAULT_PACK: Mutex<Option<Arc<kgx_core::rules::RulePack>>> = Mutex::new(None);

fn rule_error(py: Python<'_>, e: &RuleErrors) -> PyErr {
    let err = RuleError::new_err(e.to_string());
    let list = PyList::empty(py);
    for r in &e.0 {
        let d = PyDict::new(py);
        let fill = || -> PyResult<()> {
            d.set_item("file", &r.file)?;
            d.set_item("line", r.line)?;
            d.set_item("column", r.column)?;
            d.set_item("rule", r.rule.as_deref())?;
            d.set_item("message", &r.message)?;
            d.set_item("help", r.help.as_deref())?;
            list.append(&d)
        };
        if let Err(e) = fill() {
            return e;
        }
    }
    match err.value(py).setattr("errors", list) {
        Ok(()) => err,
        Err(e) => e,
    }
}

/// A document's content as Python gave it, readable without the GIL.
enum Text {
    /// A `str`, as its UTF-8 bytes.
    Str(PyBackedStr),
    /// `bytes` (borrowed) or `bytearray` (copied): the raw bytes of a file.
    Bytes(PyBackedBytes),
}

impl Text {
    fn bytes(&self) -> &[u8] {
        match self {
            Text::Str(s) => s.as_bytes(),
            Text::Bytes(b) => b,
        }
    }

    /// Reads `text`: a str (lone surrogates raise UnicodeEncodeError), bytes or bytearray.
    fn read(text: &Bound<'_, PyAny>, doc: &str, max_bytes: Option<usize>) -> PyResult<Text> {
        let too_big = |n: usize, limit: usize| {
            InputError::new_err(format!(
                "{doc}: {n} bytes, above max_bytes={limit}; split the document or pass a larger \
                 max_bytes (or None)"
            ))
        };
        let t = if let Ok(s) = text.cast::<PyString>() {
            // A char is at least one byte: refuse before encoding a huge string.
            if let Some(limit) = max_bytes {
                let chars = s.len()?;
                if chars > limit {
                    return Err(too_big(chars, limit));
                }
            }
            Text::Str(s.extract::<PyBackedStr>().map_err(|e| {
                let what = PyValueError::new_err(format!(
                    "{doc}: the text is not valid Unicode (a lone surrogate?); it cannot be \
                     encoded as UTF-8"
                ));
                what.set_cause(text.py(), Some(e));
                what
            })?)
        } else if text.is_instance_of::<PyBytes>() || text.is_instance_of::<PyByteArray>() {
            Text::Bytes(text.extract::<PyBackedBytes>()?)
        } else {
            return Err(PyTypeError::new_err(format!(
                "{doc}: text must be str or bytes, not {}",
                text.get_type().name()?
            )));
        };
        if let Some(limit) = max_bytes {
            if t.bytes().len() > limit {
                return Err(too_big(t.bytes().len(), limit));
            }
        }
        Ok(t)
    }
}

/// Checks a document name: the `doc` field and the key of every IRI of the document.
fn check_doc(doc: &str) -> PyResult<()> {
    if doc.is_empty() {
        return Err(PyValueError::new_err(
            "doc must not be empty: it names the document (its path, e.g. reports/2024.txt)",
        ));
    }
    if doc.contains('\0') {
        return Err(PyValueError::new_err("doc must not contain NUL characters"));
    }
    Ok(())
}

/// What one document becomes.
struct Output {
    /// The extractions.jsonl line, without its newline.
    json: String,
    /// Sorted N-Quads lines of the document's named graph and of its facts in the merged graph.
    rdf: Option<(String, String)>,
}

/// Exactly `process` of src/pipeline.rs for one document: decode, extract, serialise (and the
/// RDF sinks' quads). An error is the reason the CLI prints when it skips a file.
fn process(
    pack: &kgx_core::rules::RulePack,
    doc: &str,
    bytes: &[u8],
    rdf: bool,
) -> Result<Output, String> {
    let run = || -> Result<Output, String> {
        let d = decode_document(doc, bytes).map_err(|e| e.to_string())?;
        let x = extract_with(pack, &d, None);
        let json = serde_json::to_string(&x)
            .map_err(|e| format!("cannot serialise the extraction: {e}"))?;
        let rdf = rdf.then(|| {
            let quads = kgx_rdf::rdf::document_quads(pack, &x, &d.text);
            let merged = kgx_rdf::rdf::merged_quads(pack, &x);
            (
                kgx_rdf::rdf::sorted_rdf(quads).nquads,
                kgx_rdf::rdf::sorted_rdf(merged).nquads,
            )
        });
        Ok(Output { json, rdf })
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(r) => r,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(format!("internal error in kgx (please report it): {what}"))
        }
    }
}

/// A failure of one document: an `InputError`, or a `RuntimeError` for a bug in kgx.
fn doc_error(doc: &str, reason: &str) -> PyErr {
    if reason.starts_with("internal error") {
        PyRuntimeError::new_err(format!("{doc}: {reason}"))
    } else {
        let err = InputError::new_err(format!("{doc}: {reason}"));
        Python::attach(|py| {
            let _ = err.value(py).setattr("doc", doc);
        });
        err
    }
}

/// Worker pools by thread count, built once each.
static POOLS: Mutex<Vec<(usize, Arc<rayon::ThreadPool>)>> = Mutex::new(Vec::new());

fn pool(threads: Option<usize>) -> PyResult<Option<Arc<rayon::ThreadPool>>> {
    let Some(n) = threads else { return Ok(None) };
    if n == 0 {
        return Err(PyValueError::new_err(
            "threads must be at least 1 (None: all cores)",
        ));
    }
    let mut pools = POOLS
        .lock()
        .map_err(|_| PyRuntimeError::new_err("worker pool lock poisoned"))?;
    if let Some((_, p)) = pools.iter().find(|(k, _)| *k == n) {
        return Ok(Some(p.clone()));
    }
    let p = Arc::new(
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(|e| PyRuntimeError::new_err(format!("cannot start worker threads: {e}")))?,
    );
    pools.push((n, p.clone()));
    Ok(Some(p))
}

#[derive(Clone, Copy, PartialEq)]
enum OnError {
    Raise,
    Skip,
}

fn on_error(errors: &str) -> PyResult<OnError> {
    match errors {
        "raise" => Ok(OnError::Raise),
        "skip" => Ok(OnError::Skip),
        other => Err(PyValueError::new_err(format!(
            "errors must be \"raise\" or \"skip\", not {other:?}"
        ))),
    }
}

/// Parses a JSONL line with Python's json module (C code, keys interned): the dict is the line.
fn json_loads<'py>(py: Python<'py>, line: &str) -> PyResult<Bound<'py, PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let loads = LOADS.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py.import("json")?.getattr("loads")?.unbind())
    })?;
    loads.bind(py).call1((line,))
}

/// How results are handed to Python.
#[derive(Clone, Copy)]
enum Shape {
    Dict,
    Json,
    Rdf,
}

impl Shape {
    fn convert<'py>(self, py: Python<'py>, out: Output) -> PyResult<Bound<'py, PyAny>> {
        match (self, out.rdf) {
            (Shape::Dict, _) => json_loads(py, &out.json),
            (Shape::Json, _) => Ok(PyString::new(py, &out.json).into_any()),
            (Shape::Rdf, Some((graph, merged))) => {
                Ok(PyTuple::new(py, [out.json, graph, merged])?.into_any())
            }
            (Shape::Rdf, None) => Err(PyRuntimeError::new_err("no RDF was made")),
        }
    }
}

/// A compiled, validated rule pack: `RulePack()` is the pack built into kgx (the repository's
/// `rules/` folder at build time), `RulePack.load(path)` a rules folder of your own.
/// Immutable and thread-safe; load it once and reuse it (loading takes a fraction of a second).
#[pyclass(frozen, module = "kgx")]
struct RulePack {
    pack: Arc<kgx_core::rules::RulePack>,
}

impl RulePack {
    /// `docs` read under the GIL, processed in parallel without it, converted in input order.
    fn run_many<'py>(
        &self,
        py: Python<'py>,
        docs: &Bound<'py, PyAny>,
        threads: Option<usize>,
        errors: &str,
        max_bytes: Option<usize>,
        shape: Shape,
    ) -> PyResult<Bound<'py, PyList>> {
        let errors = on_error(errors)?;
        let pool = pool(threads)?;
        let mut inputs: Vec<Result<(PyBackedStr, Text), PyErr>> = Vec::new();
        let iter = docs
            .try_iter()
            .map_err(|_| PyTypeError::new_err("docs must be an iterable of (doc, text) pairs"))?;
        for (i, item) in iter.enumerate() {
            let item = item?;
            let pair = item.cast::<PyTuple>().ok().filter(|t| t.len() == 2);
            let Some(pair) = pair else {
                return Err(PyTypeError::new_err(format!(
                    "docs[{i}]: expected a (doc, text) pair, got {}",
                    item.get_type().name()?
                )));
            };
            let doc_obj = pair.get_item(0)?;
            let doc: PyBackedStr = doc_obj.extract().map_err(|_| {
                PyTypeError::new_err(format!(
                    "docs[{i}]: doc must be a str (the document's name)"
                ))
            })?;
            check_doc(&doc)?;
            match Text::read(&pair.get_item(1)?, &doc, max_bytes) {
                Ok(t) => inputs.push(Ok((doc, t))),
                Err(e) if errors == OnError::Skip && e.is_instance_of::<InputError>(py) => {
                    inputs.push(Err(e))
                }
                Err(e) => return Err(e),
            }
        }
        let pack = &self.pack;
        let rdf = matches!(shape, Shape::Rdf);
        let work = || -> Vec<Option<Result<Output, String>>> {
            inputs
                .par_iter()
                .map(|r| {
                    r.as_ref()
                        .ok()
                        .map(|(doc, text)| process(pack, doc, text.bytes(), rdf))
                })
                .collect()
        };
        let outputs = py.detach(|| match &pool {
            Some(p) => p.install(work),
            None => work(),
        });
        let list = PyList::empty(py);
        for (input, out) in inputs.iter().zip(outputs) {
            match (input, out) {
                (Ok(_), Some(Ok(out))) => list.append(shape.convert(py, out)?)?,
                (Ok((doc, _)), Some(Err(reason))) => {
                    let err = doc_error(doc, &reason);
                    if errors == OnError::Raise || !err.is_instance_of::<InputError>(py) {
                        return Err(err);
                    }
                    list.append(py.None())?;
                }
                _ => list.append(py.None())?,
            }
        }
        Ok(list)
    }

    fn run_one<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
        doc: &str,
        max_bytes: Option<usize>,
        shape: Shape,
    ) -> PyResult<Bound<'py, PyAny>> {
        check_doc(doc)?;
        let text = Text::read(text, doc, max_bytes)?;
        let pack = &self.pack;
        let rdf = matches!(shape, Shape::Rdf);
        let out = py.detach(|| process(pack, doc, text.bytes(), rdf));
        match out {
            Ok(out) => shape.convert(py, out),
            Err(reason) => Err(doc_error(doc, &reason)),
        }
    }
}

#[pymethods]
impl RulePack {
    /// The rule pack built into kgx. It is written once to `$XDG_CACHE_HOME/kgx/rules-HASH`
    /// (else `~/.cache/kgx/…`, else the temp folder), as the `kgx` binary does, and loaded from
    /// there; later calls in the same process reuse the loaded pack.
    #[new]
    fn new(py: Python<'_>) -> PyResult<RulePack> {
        let mut cached = DEFAULT_PACK
            .lock()
            .map_err(|_| PyRuntimeError::new_err("default rule pack lock poisoned"))?;
        if let Some(pack) = cached.as_ref() {
            return Ok(RulePack { pack: pack.clone() });
        }
        let loaded = py.detach(|| {
            let dir = kgx_core::embedded::write_rules(
                embedded::EMBEDDED_RULES,
                &kgx_core::embedded::cache_root(),
            )
            .map_err(|e| Err(format!("cannot write the built-in rules to the cache folder: {e}; set XDG_CACHE_HOME to a writable folder or use RulePack.load(path)")))?;
            load_pack(&dir).map_err(Ok)
        });
        let pack = match loaded {
            Ok(pack) => Arc::new(pack),
            Err(Ok(rule_errors)) => return Err(rule_error(py, &rule_errors)),
            Err(Err(io)) => return Err(PyRuntimeError::new_err(io)),
        };
        *cached = Some(pack.clone());
        Ok(RulePack { pack })
    }

    /// Loads and validates the rules folder at `path` (its `*.toml` files and the gazetteers
    /// they name). Any error refuses the whole pack: `kgx.RuleError` lists every one as
    /// file:line:column.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<RulePack> {
        if !path.is_dir() {
            return Err(PyFileNotFoundError::new_err(format!(
                "{}: not a rules folder (a folder holding pack.toml and *.toml rule files)",
                path.display()
            )));
        }
        match py.detach(|| load_pack(&path)) {
            Ok(pack) => Ok(RulePack {
                pack: Arc::new(pack),
            }),
            Err(e) => Err(rule_error(py, &e)),
        }
    }

    /// The pack's name (pack.toml).
    #[getter]
    fn name(&self) -> &str {
        &self.pack.name
    }

    /// The pack's version (pack.toml).
    #[getter]
    fn version(&self) -> &str {
        &self.pack.version
    }

    /// sha256 of every rule file and kgx's output version: what `kgx extract` keys incremental
    /// runs by (`.kgx-rules`, the store's `kgx:rulePackHash`).
    #[getter]
    fn hash(&self) -> &str {
        &self.pack.hash
    }

    /// The base of every IRI the pack makes.
    #[getter]
    fn base_iri(&self) -> &str {
        &self.pack.base_iri
    }

    fn __repr__(&self) -> String {
        format!(
            "<kgx.RulePack {} {} ({} rules)>",
            self.pack.name,
            self.pack.version,
            self.pack.rules.len()
        )
    }

    /// Extracts one document: exactly the extractions.jsonl line `kgx extract` writes for a
    /// file named `doc` holding these bytes (a `str` counts as its UTF-8 bytes; `bytes` are
    /// decoded as the CLI decodes a file: BOM, UTF-8, GB18030). `doc` is the path relative to
    /// the input folder; a name ending in .html/.htm is read as HTML. The default name is what
    /// `kgx extract -` calls standard input.
    #[pyo3(signature = (text, doc = "stdin.txt", *, max_bytes = Some(MAX_BYTES)))]
    fn extract<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
        doc: &str,
        max_bytes: Option<usize>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.run_one(py, text, doc, max_bytes, Shape::Dict)
    }

    /// Like `extract`, as the JSON text of the extractions.jsonl line (no newline).
    #[pyo3(signature = (text, doc = "stdin.txt", *, max_bytes = Some(MAX_BYTES)))]
    fn extract_json<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
        doc: &str,
        max_bytes: Option<usize>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.run_one(py, text, doc, max_bytes, Shape::Json)
    }

    /// Like `extract_json`, with the document's RDF: `(jsonl_line, graph_nquads,
    /// merged_nquads)`, the N-Quads lines (sorted, each ending in a newline) of the document's
    /// named graph and of its facts in the merged graph, as `kgx extract --formats nq` writes
    /// them into graph.nq.
    #[pyo3(signature = (text, doc = "stdin.txt", *, max_bytes = Some(MAX_BYTES)))]
    fn extract_rdf<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
        doc: &str,
        max_bytes: Option<usize>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.run_one(py, text, doc, max_bytes, Shape::Rdf)
    }

    /// Extracts many documents in parallel, with the GIL released: `docs` is an iterable of
    /// `(doc, text)` pairs; the result lists their extractions in input order. `threads`: worker
    /// threads (None: all cores). `errors="skip"` puts None where a document cannot be read
    /// (as `kgx extract` skips it) instead of raising `kgx.InputError`.
    #[pyo3(signature = (docs, threads = None, *, errors = "raise", max_bytes = Some(MAX_BYTES)))]
    fn extract_many<'py>(
        &self,
        py: Python<'py>,
        docs: &Bound<'py, PyAny>,
        threads: Option<usize>,
        errors: &str,
        max_bytes: Option<usize>,
    ) -> PyResult<Bound<'py, PyList>> {
        self.run_many(py, docs, threads, errors, max_bytes, Shape::Dict)
    }

    /// `extract_many`, each result as its extractions.jsonl line (str, no newline).
    #[pyo3(signature = (docs, threads = None, *, errors = "raise", max_bytes = Some(MAX_BYTES)))]
    fn extract_many_json<'py>(
        &self,
        py: Python<'py>,
        docs: &Bound<'py, PyAny>,
        threads: Option<usize>,
        errors: &str,
        max_bytes: Option<usize>,
    ) -> PyResult<Bound<'py, PyList>> {
        self.run_many(py, docs, threads, errors, max_bytes, Shape::Json)
    }

    /// `extract_many`, each result as `extract_rdf` gives it.
    #[pyo3(signature = (docs, threads = None, *, errors = "raise", max_bytes = Some(MAX_BYTES)))]
    fn extract_many_rdf<'py>(
        &self,
        py: Python<'py>,
        docs: &Bound<'py, PyAny>,
        threads: Option<usize>,
        errors: &str,
        max_bytes: Option<usize>,
    ) -> PyResult<Bound<'py, PyList>> {
        self.run_many(py, docs, threads, errors, max_bytes, Shape::Rdf)
    }
}

#[pymodule]
fn _kgx(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<RulePack>()?;
    m.add("RuleError", py.get_type::<RuleError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("MAX_BYTES", MAX_BYTES)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
