from infoint.entry import main

main()
