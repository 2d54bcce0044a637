"""Commune officers are on slow rural connections: what the browser downloads stays small."""
BROWSER_ENCODINGS = {"Accept-Encoding": "gzip, deflate, br, zstd"}


def test_bootstrap_css_is_served_by_the_app_compressed(client):
    response = client.get("/bootstrap/static/css/bootstrap.min.css", headers=BROWSER_ENCODINGS)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] in {"zstd", "br", "deflate", "gzip"}
    assert len(response.get_data()) < 60_000  # about 230 kB uncompressed
    assert "max-age=86400" in response.headers["Cache-Control"]


def test_pages_are_compressed_and_load_no_script(client):
    response = client.get("/login", headers=BROWSER_ENCODINGS)
    assert response.headers["Content-Encoding"]
    html = client.get("/login").get_data(as_text=True)
    assert "<script" not in html


def test_the_web_process_loads_no_document_library(app):
    """Word, PDF, image and spreadsheet libraries load in the process that renders a file."""
    import subprocess
    import sys

    probe = ("import sys; from app import create_app; create_app(); "
             "print(sorted(m for m in ('docx', 'fpdf', 'PIL', 'xlsxwriter') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
