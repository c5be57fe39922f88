"""mianjing: interview posts (面经) to structured data and preparation advice.

Importing the package is free of side effects; the compiled graph lives in `graph.workflow`.
"""

__version__ = "0.1.0"
