from flask import Blueprint

plan_templates = Blueprint("plan_templates", __name__, url_prefix="/templates", template_folder="templates")
