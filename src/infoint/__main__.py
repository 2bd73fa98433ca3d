from infoint.cli import main

main()
