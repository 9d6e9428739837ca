"""The file to give spark-submit (it runs a file, not a module):

    spark-submit [OPTIONS] "$(python -c 'import provenance.spark_submit as m; print(m.__file__)')" \\
        INPUT... --output DIR [--partitions N]
"""

import sys

from provenance.spark import main

if __name__ == "__main__":
    sys.exit(main())
