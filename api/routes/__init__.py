"""One APIRouter per noun."""
