from storepos.cli import main

raise SystemExit(main())
