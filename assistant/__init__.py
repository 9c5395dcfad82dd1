"""troly: trợ lý ảo ngành Y tế (AI virtual assistant for a provincial Department of Health)."""

__version__ = "0.1.0"
