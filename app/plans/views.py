from flask import Blueprint

plans = Blueprint("plans", __name__, url_prefix="/plans", template_folder="templates")
