"""The plan as an official document: Word, PDF and a print view in HTML."""
from flask import Blueprint

plan_documents = Blueprint("plan_documents", __name__, url_prefix="/plans", template_folder="templates")
